namespace Shop.Messaging.RabbitMq;

/// <summary>Exponential backoff with jitter: 100 ms, 200 ms, 400 ms … up to the cap.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 16);
        var milliseconds = Math.Min(max.TotalMilliseconds, 100 * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(milliseconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}

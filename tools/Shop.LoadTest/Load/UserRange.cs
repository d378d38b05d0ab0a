namespace Shop.LoadTest.Load;

/// <summary>
/// The users of one run: a block of ids no earlier run used (from the clock, a thousand ids per millisecond's
/// worth; runs start seconds apart), the first one reserved for the warm-up, so runs never meet each other's balances.
/// </summary>
public sealed record UserRange(long First, int Count)
{
    public static UserRange ForRun(int users)
    {
        return new UserRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000, users);
    }

    public long WarmUpUser => First;
    public long Last => First + Count;
    public IReadOnlyList<long> LoadUsers => [.. Enumerable.Range(1, Count).Select(i => First + i)];
    public IReadOnlyList<long> All => [.. Enumerable.Range(0, Count + 1).Select(i => First + i)];
}

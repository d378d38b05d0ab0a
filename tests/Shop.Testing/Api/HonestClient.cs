namespace Shop.Testing.Api;

/// <summary>
/// A client that tells a definite answer from a lost one: 2xx is accepted, 4xx is refused, anything else (5xx, a
/// timeout, a dropped connection) may or may not have committed, so the same request is sent again with the same
/// Idempotency-Key until the system gives a definite answer. That is what makes "accepted == rows" exact.
/// </summary>
public sealed class HonestClient(HttpClient http)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);
    private const string JsonUtf8 = "application/json; charset=utf-8";

    public HttpClient Http { get; } = http;

    /// <summary>Every answer, by status code (or "timeout"/"connection"), attempts included.</summary>
    public ConcurrentDictionary<string, int> Answers { get; } = new();

    /// <summary>Requests sent again after an answer that was not definite.</summary>
    public int Retries => _retries;

    /// <summary>The first few 500 answers, verbatim: a 500 is a defect, never an expected outage answer.</summary>
    public ConcurrentQueue<string> ServerErrors { get; } = new();

    private int _retries;

    public async Task<Answer> SendAsync(HttpMethod method, string path, long userId, string? json, string? idempotencyKey)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            using var request = ShopRequest.Create(method, path, userId, UserIdHeader.Instance, json, idempotencyKey, JsonUtf8);

            string outcome;
            try
            {
                using var response = await Http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Answers.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (status == 500 && ServerErrors.Count < 20)
                {
                    ServerErrors.Enqueue($"{method} {path} (user {userId}, key {idempotencyKey}) -> 500 {response.Content.Headers.ContentType}: {body}");
                }
                if (status is >= 200 and < 300)
                {
                    return new Answer(true, status, body, attempt);
                }
                if (status is >= 400 and < 500 && status != (int)HttpStatusCode.RequestTimeout)
                {
                    return new Answer(false, status, body, attempt);
                }
            }
            catch (TaskCanceledException)
            {
                Answers.AddOrUpdate("timeout", 1, (_, n) => n + 1);
            }
            catch (HttpRequestException)
            {
                Answers.AddOrUpdate("connection", 1, (_, n) => n + 1);
            }

            if (clock.Elapsed > GiveUpAfter)
            {
                throw new TimeoutException($"{method} {path} for user {userId} (key {idempotencyKey}) got no definite answer in {GiveUpAfter.TotalMinutes} min");
            }
            Interlocked.Increment(ref _retries);
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }
}

namespace Shop.FaultTests.Traffic;

/// <summary>
/// A steady stream of top-ups and orders from several users through the gateway, kept up while faults are injected.
/// It remembers every request the system accepted, to be compared with the rows in the databases.
/// </summary>
public sealed class TrafficStream(HonestClient client, int users, long firstUserId)
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public ConcurrentBag<AcceptedOrder> AcceptedOrders { get; } = [];
    public ConcurrentBag<AcceptedTopUp> AcceptedTopUps { get; } = [];
    public IReadOnlyList<long> UserIds { get; } = Enumerable.Range(0, users).Select(i => firstUserId + i).ToList();
    public int RefusedRequests => _refused;

    private int _refused;

    public void Start()
    {
        foreach (var userId in UserIds)
        {
            _loops.Add(Task.Run(() => RunUserAsync(userId, _stop.Token)));
        }
    }

    /// <summary>Stops issuing requests; a request already sent is followed to its definite answer first.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public int Accepted => AcceptedOrders.Count + AcceptedTopUps.Count;

    private async Task RunUserAsync(long userId, CancellationToken stop)
    {
        var random = new Random((int)userId);
        var opened = await client.SendAsync(HttpMethod.Post, "/payments/account", userId, null, null);
        if (!opened.Accepted)
        {
            throw new InvalidOperationException($"Opening the account of user {userId} was refused: {opened.Status} {opened.Body}");
        }
        while (!stop.IsCancellationRequested)
        {
            var key = Guid.NewGuid().ToString("N");
            if (random.Next(100) < 40)
            {
                var amount = random.Next(200, 1000);
                var answer = await client.SendAsync(HttpMethod.Post, "/payments/account/topup", userId, $"{{\"amount\":{amount}}}", key);
                if (answer.Accepted)
                {
                    AcceptedTopUps.Add(new AcceptedTopUp(userId, key, amount));
                }
                else
                {
                    Interlocked.Increment(ref _refused);
                }
            }
            else
            {
                var amount = random.Next(100, 700);
                var answer = await client.SendAsync(HttpMethod.Post, "/orders/orders", userId, $"{{\"amount\":{amount}}}", key);
                if (answer.Accepted)
                {
                    AcceptedOrders.Add(new AcceptedOrder(answer.Json.GetProperty("id").GetGuid(), userId, amount, key));
                }
                else
                {
                    Interlocked.Increment(ref _refused);
                }
            }
            await Task.Delay(random.Next(60, 140), CancellationToken.None);
        }
    }
}

public sealed record AcceptedOrder(Guid OrderId, long UserId, long Amount, string IdempotencyKey);

public sealed record AcceptedTopUp(long UserId, string IdempotencyKey, long Amount);

namespace Shop.LoadTest.Load;

/// <summary>
/// Every order of the run by id. A push can arrive before the POST's answer does, so both sides add the entry;
/// each field has one writer and is read only after the run (or as a rough progress figure).
/// </summary>
public sealed class OrderBook
{
    private readonly ConcurrentDictionary<Guid, TrackedOrder> _orders = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private long _sent;
    private long _accepted;
    private long _finals;
    private long _refused;

    public long Sent => Interlocked.Read(ref _sent);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Finals => Interlocked.Read(ref _finals);
    public long Errors => _errors.Values.Sum();

    /// <summary>Orders refused at admission (503 with Retry-After): not errors, the system saying it is full.</summary>
    public long Refused => Interlocked.Read(ref _refused);
    public IReadOnlyDictionary<string, int> ErrorsByKind => new SortedDictionary<string, int>(_errors);

    /// <summary>Orders the system accepted (201).</summary>
    public IReadOnlyList<TrackedOrder> Orders => [.. _orders.Values.Where(o => !double.IsNaN(o.AcceptedMs))];

    public void CountSent() => Interlocked.Increment(ref _sent);

    public TrackedOrder Accept(Guid id, long userId, double intendedMs, double acceptedMs)
    {
        var order = _orders.GetOrAdd(id, static key => new TrackedOrder(key));
        order.UserId = userId;
        order.IntendedMs = intendedMs;
        order.AcceptedMs = acceptedMs;
        Interlocked.Increment(ref _accepted);
        return order;
    }

    public void Pushed(Guid id, string status, double atMs)
    {
        var order = _orders.GetOrAdd(id, static key => new TrackedOrder(key));
        if (order.PushedStatus is null && status is "PAID" or "FAILED")
        {
            order.PushedMs = atMs;
            order.PushedStatus = status;
            if (double.IsNaN(order.PolledMs))
            {
                Interlocked.Increment(ref _finals);
            }
        }
    }

    public void Polled(TrackedOrder order, string status, double atMs)
    {
        order.PolledMs = atMs;
        order.PolledStatus = status;
        if (double.IsNaN(order.PushedMs))
        {
            Interlocked.Increment(ref _finals);
        }
    }

    public void Error(string kind) => _errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);

    public void Refuse() => Interlocked.Increment(ref _refused);
}

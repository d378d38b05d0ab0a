using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Api.Admission;

/// <summary>
/// Decides at once, before a write request reads its body, whether the app takes it: refused with 503 problem+json and
/// <c>Retry-After</c> when this instance already handles <see cref="AdmissionOptions.MaxConcurrentWrites"/> writes, or
/// when the backlog of accepted work has reached its bound (<see cref="BacklogBound"/>: <see cref="AdmissionOptions.MaxBacklog"/>,
/// tightened under sustained overload to what the measured throughput finishes in <see cref="AdmissionOptions.MaxWait"/>).
/// A refused request wrote nothing; a client may send it again, with the same <c>Idempotency-Key</c>, after the pause.
/// </summary>
public sealed partial class AdmissionControl(IOptions<AdmissionOptions> options, IBacklogGauge backlog, TimeProvider clock,
    ILogger<AdmissionControl> logger)
{
    private readonly BacklogBound _bound = new();
    private int _inFlight;
    private long _refusedSinceLog;
    private DateTimeOffset _lastLog;

    /// <summary>Admits or refuses one write; dispose the ticket when the write is done.</summary>
    public Ticket TryEnter()
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return new Ticket(this, counted: false, refusal: null);
        }
        if (Interlocked.Increment(ref _inFlight) > settings.MaxConcurrentWrites)
        {
            Interlocked.Decrement(ref _inFlight);
            return Refuse(settings, $"The shop is at capacity ({settings.MaxConcurrentWrites} requests in progress here).");
        }
        if (backlog.Current is { } waiting)
        {
            var throughput = backlog.Throughput;
            var bound = _bound.Observe(settings, clock.GetUtcNow(), waiting, throughput);
            if (bound.Changed)
            {
                if (bound.Overloaded)
                {
                    LogOverloaded(waiting, throughput ?? 0, bound.Limit);
                }
                else
                {
                    LogKeepingUp(waiting, throughput ?? 0, bound.Limit);
                }
            }
            if (bound.Refused)
            {
                Interlocked.Decrement(ref _inFlight);
                return Refuse(settings, bound.Overloaded
                    ? $"The shop is at capacity ({waiting} {backlog.Describes}; it has finished up to {throughput:0} a second lately)."
                    : $"The shop is at capacity ({waiting} {backlog.Describes}).");
            }
        }
        return new Ticket(this, counted: true, refusal: null);
    }

    private Ticket Refuse(AdmissionOptions settings, string reason)
    {
        AdmissionMetrics.Refused.Add(1);
        var refused = Interlocked.Increment(ref _refusedSinceLog);
        var now = clock.GetUtcNow();
        // One line a few seconds at most: under overload every second request is refused.
        if (now - _lastLog > TimeSpan.FromSeconds(5))
        {
            _lastLog = now;
            Interlocked.Exchange(ref _refusedSinceLog, 0);
            LogRefusing(refused, reason);
        }
        var retryAfter = Math.Max(1, (int)Math.Ceiling(settings.RetryAfter.TotalSeconds));
        return new Ticket(this, counted: false,
            ApiProblems.ServiceUnavailable($"{reason} Nothing was written; try again in {retryAfter} s.", retryAfter));
    }

    public readonly struct Ticket : IDisposable
    {
        private readonly AdmissionControl? _owner;
        private readonly bool _counted;

        internal Ticket(AdmissionControl owner, bool counted, IResult? refusal)
        {
            _owner = owner;
            _counted = counted;
            Refusal = refusal;
        }

        /// <summary>The 503 to answer with; null when the request is admitted.</summary>
        public IResult? Refusal { get; }

        public void Dispose()
        {
            if (_counted && _owner is not null)
            {
                Interlocked.Decrement(ref _owner._inFlight);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Overloaded: a backlog of {Backlog} at up to {Throughput:0.#} finished a second; new work is refused from a backlog of {Limit}")]
    private partial void LogOverloaded(long backlog, double throughput, long limit);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Keeping up again: a backlog of {Backlog} at up to {Throughput:0.#} finished a second; new work is refused from a backlog of {Limit}")]
    private partial void LogKeepingUp(long backlog, double throughput, long limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Refused} write request(s) with 503: {Reason}")]
    private partial void LogRefusing(long refused, string reason);
}

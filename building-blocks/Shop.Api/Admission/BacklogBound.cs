namespace Shop.Api.Admission;

/// <summary>
/// How much accepted work the app takes before it refuses more. Normally <see cref="AdmissionOptions.MaxBacklog"/>, so a
/// burst on an idle shop is taken whole. When the backlog has stood for <see cref="AdmissionOptions.OverloadAfter"/> at
/// more than <see cref="AdmissionOptions.MaxWait"/> of work at the throughput the app has shown (backlog ÷ throughput,
/// Little's law), the shop is overloaded, and the bound tightens to throughput × <c>MaxWait</c>, at least
/// <see cref="AdmissionOptions.MinBacklog"/>: an accepted order then waits about <c>MaxWait</c>, on a small machine or a
/// large one. It loosens once a whole <c>OverloadAfter</c> has passed without a write refused (what arrives, the shop
/// finishes). Without a throughput to size it from (none measured, or none yet: a cold start) it stays at
/// <c>MaxBacklog</c>.
/// </summary>
public sealed class BacklogBound
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _overSince;
    private DateTimeOffset _lastRefusal;
    private bool _overloaded;

    /// <summary>
    /// Weighs one write against a reading of the backlog and the throughput (work the app has shown it finishes per
    /// second; null or 0 when not measured): returns the bound, and whether it refuses this write.
    /// </summary>
    public Reading Observe(AdmissionOptions settings, DateTimeOffset at, long backlog, double? throughput)
    {
        lock (_gate)
        {
            var was = _overloaded;
            if (settings.MaxWait <= TimeSpan.Zero || throughput is not { } perSecond || perSecond <= 0)
            {
                // Not adaptive, or no throughput to size a bound from yet (a cold start): the fixed bound.
                _overSince = null;
                _overloaded = false;
                return new Reading(settings.MaxBacklog, backlog >= settings.MaxBacklog, Overloaded: false, Changed: was);
            }
            var wait = backlog / perSecond;
            _overSince = wait > settings.MaxWait.TotalSeconds ? _overSince ?? at : null;
            if (!_overloaded && at - _overSince >= settings.OverloadAfter)
            {
                _overloaded = true;
                _lastRefusal = at;
            }
            else if (_overloaded && at - _lastRefusal >= settings.OverloadAfter)
            {
                // A whole OverloadAfter without a write refused: what arrives, the shop finishes.
                _overloaded = false;
            }
            var limit = _overloaded
                ? Math.Min(settings.MaxBacklog, Math.Max(settings.MinBacklog, (long)(perSecond * settings.MaxWait.TotalSeconds)))
                : settings.MaxBacklog;
            var refused = backlog >= limit;
            if (refused)
            {
                _lastRefusal = at;
            }
            return new Reading(limit, refused, _overloaded, Changed: was != _overloaded);
        }
    }

    /// <param name="Limit">Work beyond this much accepted and not done is refused.</param>
    /// <param name="Refused">Whether the write weighed is refused: the backlog is at the limit.</param>
    /// <param name="Overloaded">Whether the bound is tightened.</param>
    /// <param name="Changed">Whether this write tightened or loosened it.</param>
    public readonly record struct Reading(long Limit, bool Refused, bool Overloaded, bool Changed);
}

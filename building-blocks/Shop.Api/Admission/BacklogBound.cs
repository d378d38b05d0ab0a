namespace Shop.Api.Admission;

/// <summary>
/// How much accepted work the app takes before it refuses more. Normally <see cref="AdmissionOptions.MaxBacklog"/>, so a
/// burst on an idle shop is taken whole. When the backlog has stood for <see cref="AdmissionOptions.OverloadAfter"/> at
/// more than <see cref="AdmissionOptions.MaxWait"/> of work at the throughput the app has shown (backlog ÷ throughput,
/// Little's law), the shop is overloaded, and the bound tightens to throughput × <c>MaxWait</c>, at least
/// <see cref="AdmissionOptions.MinBacklog"/>: an accepted order then waits about <c>MaxWait</c>, on a small machine or a
/// large one. It loosens again once the backlog has stood below half of <c>MaxWait</c> for as long, or at once when
/// nothing waits. Without a throughput to size it from (none measured, or none yet: a cold start) it stays at
/// <c>MaxBacklog</c>.
/// </summary>
public sealed class BacklogBound
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _overSince;
    private DateTimeOffset? _underSince;
    private bool _overloaded;

    /// <summary>
    /// Weighs one reading of the backlog and the throughput (work the app has shown it finishes per second; null or 0 when
    /// not measured) and
    /// returns the bound it sets.
    /// </summary>
    public Reading Observe(AdmissionOptions settings, DateTimeOffset at, long backlog, double? throughput)
    {
        lock (_gate)
        {
            if (settings.MaxWait <= TimeSpan.Zero || throughput is not { } perSecond || perSecond <= 0)
            {
                // Not adaptive, or no throughput to size a bound from yet (a cold start): the fixed bound.
                _overSince = _underSince = null;
                var loosened = _overloaded;
                _overloaded = false;
                return new Reading(settings.MaxBacklog, Overloaded: false, Changed: loosened);
            }
            var was = _overloaded;
            if (backlog == 0)
            {
                // Nothing waiting is no overload.
                _overSince = _underSince = null;
                _overloaded = false;
                return new Reading(settings.MaxBacklog, Overloaded: false, Changed: was);
            }
            var wait = backlog / perSecond;
            _overSince = wait > settings.MaxWait.TotalSeconds ? _overSince ?? at : null;
            _underSince = wait < settings.MaxWait.TotalSeconds / 2 ? _underSince ?? at : null;
            if (!_overloaded && at - _overSince >= settings.OverloadAfter)
            {
                _overloaded = true;
            }
            else if (_overloaded && at - _underSince >= settings.OverloadAfter)
            {
                _overloaded = false;
            }
            var sized = (long)(perSecond * settings.MaxWait.TotalSeconds);
            var limit = _overloaded ? Math.Min(settings.MaxBacklog, Math.Max(settings.MinBacklog, sized)) : settings.MaxBacklog;
            return new Reading(limit, _overloaded, Changed: was != _overloaded);
        }
    }

    /// <param name="Limit">Work beyond this much accepted and not done is refused.</param>
    /// <param name="Overloaded">Whether the bound is tightened.</param>
    /// <param name="Changed">Whether this reading tightened or loosened it.</param>
    public readonly record struct Reading(long Limit, bool Overloaded, bool Changed);
}

using Shop.Api.Admission;

namespace Shop.UnitTests.Api;

public sealed class BacklogBoundTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly AdmissionOptions _options = new()
    {
        MaxBacklog = 100, MinBacklog = 16, MaxWait = TimeSpan.FromMilliseconds(200), OverloadAfter = TimeSpan.FromSeconds(1),
    };

    private readonly BacklogBound _bound = new();

    /// <summary>Weighs a write every 100 ms from <paramref name="from"/> for <paramref name="span"/>; returns the last reading.</summary>
    private BacklogBound.Reading Feed(TimeSpan from, TimeSpan span, long backlog, double? throughput)
    {
        BacklogBound.Reading last = default;
        for (var t = from; t <= from + span; t += TimeSpan.FromMilliseconds(100))
        {
            last = _bound.Observe(_options, Start + t, backlog, throughput);
        }
        return last;
    }

    [Fact]
    public void A_burst_on_a_shop_that_keeps_up_is_bounded_only_by_MaxBacklog()
    {
        // 90 waiting at 150 finished a second is 0.6 s of work, for less than OverloadAfter.
        var reading = Feed(TimeSpan.Zero, TimeSpan.FromMilliseconds(900), backlog: 90, throughput: 150);

        Assert.Equal(new BacklogBound.Reading(100, Refused: false, Overloaded: false, Changed: false), reading);
    }

    [Fact]
    public void A_backlog_of_more_than_MaxWait_of_work_for_OverloadAfter_tightens_the_bound_to_throughput_times_MaxWait()
    {
        Feed(TimeSpan.Zero, TimeSpan.FromMilliseconds(900), backlog: 90, throughput: 150);

        var reading = _bound.Observe(_options, Start + TimeSpan.FromSeconds(1), 90, 150);

        Assert.Equal(new BacklogBound.Reading(30, Refused: true, Overloaded: true, Changed: true), reading);
        Assert.Equal(new BacklogBound.Reading(30, Refused: false, Overloaded: true, Changed: false),
            _bound.Observe(_options, Start + TimeSpan.FromMilliseconds(1100), 29, 150));
    }

    [Fact]
    public void The_tightened_bound_follows_the_throughput_between_MinBacklog_and_MaxBacklog()
    {
        Feed(TimeSpan.Zero, TimeSpan.FromSeconds(1), backlog: 90, throughput: 150);

        Assert.Equal(60, _bound.Observe(_options, Start + TimeSpan.FromMilliseconds(1100), 90, 300).Limit);
        Assert.Equal(16, _bound.Observe(_options, Start + TimeSpan.FromMilliseconds(1200), 90, 20).Limit);
        Assert.Equal(100, _bound.Observe(_options, Start + TimeSpan.FromMilliseconds(1300), 900, 5000).Limit);
    }

    [Fact]
    public void While_writes_are_refused_the_bound_stays_tight()
    {
        Feed(TimeSpan.Zero, TimeSpan.FromSeconds(1), backlog: 90, throughput: 150);

        var reading = Feed(TimeSpan.FromMilliseconds(1100), TimeSpan.FromSeconds(10), backlog: 30, throughput: 150);

        Assert.Equal(new BacklogBound.Reading(30, Refused: true, Overloaded: true, Changed: false), reading);
    }

    [Fact]
    public void A_whole_OverloadAfter_without_a_refusal_loosens_the_bound()
    {
        Feed(TimeSpan.Zero, TimeSpan.FromSeconds(1), backlog: 90, throughput: 150);

        // Under the tight bound of 30 from here on: taken, and no longer refused.
        Assert.True(Feed(TimeSpan.FromMilliseconds(1100), TimeSpan.FromMilliseconds(800), backlog: 25, throughput: 150).Overloaded);
        var reading = _bound.Observe(_options, Start + TimeSpan.FromSeconds(2), 25, 150);

        Assert.Equal(new BacklogBound.Reading(100, Refused: false, Overloaded: false, Changed: true), reading);
    }

    [Fact]
    public void A_throughput_of_zero_sizes_no_bound_so_a_cold_start_keeps_MaxBacklog()
    {
        var reading = Feed(TimeSpan.Zero, TimeSpan.FromSeconds(3), backlog: 40, throughput: 0);

        Assert.Equal(new BacklogBound.Reading(100, Refused: false, Overloaded: false, Changed: false), reading);
    }

    [Fact]
    public void Without_a_measured_throughput_the_bound_is_MaxBacklog()
    {
        Assert.Equal(new BacklogBound.Reading(100, Refused: false, Overloaded: false, Changed: false),
            Feed(TimeSpan.Zero, TimeSpan.FromSeconds(3), backlog: 90, throughput: null));
        Assert.Equal(new BacklogBound.Reading(100, Refused: true, Overloaded: false, Changed: false),
            _bound.Observe(_options, Start + TimeSpan.FromSeconds(4), 100, null));
    }

    [Fact]
    public void With_MaxWait_zero_the_bound_is_MaxBacklog_whatever_the_backlog()
    {
        _options.MaxWait = TimeSpan.Zero;

        var reading = Feed(TimeSpan.Zero, TimeSpan.FromSeconds(3), backlog: 90, throughput: 10);

        Assert.Equal(new BacklogBound.Reading(100, Refused: false, Overloaded: false, Changed: false), reading);
    }
}

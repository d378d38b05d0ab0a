using Shop.Api.Admission;

namespace Shop.UnitTests.Api;

public sealed class ThroughputWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private readonly ThroughputWindow _window = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    [Fact]
    public void One_reading_gives_no_rate()
    {
        _window.Record(Start, 500);

        Assert.Null(_window.PerSecond);
    }

    [Fact]
    public void The_rate_is_the_work_finished_over_about_the_last_span()
    {
        // 100 a second for 3 s, then 400 a second for 1 s: only the last second counts.
        for (var i = 0; i <= 30; i++)
        {
            _window.Record(Start + TimeSpan.FromMilliseconds(100 * i), 10L * i);
        }
        for (var i = 1; i <= 10; i++)
        {
            _window.Record(Start + TimeSpan.FromMilliseconds(3000 + 100 * i), 300 + 40L * i);
        }

        Assert.Equal(400, _window.PerSecond!.Value, precision: 6);
    }

    [Fact]
    public void Readings_further_apart_than_the_span_give_the_rate_between_the_last_two()
    {
        _window.Record(Start, 0);
        _window.Record(Start + TimeSpan.FromSeconds(5), 50);
        _window.Record(Start + TimeSpan.FromSeconds(7), 250);

        Assert.Equal(100, _window.PerSecond!.Value, precision: 6);
    }

    [Fact]
    public void A_total_that_falls_counts_as_nothing_finished()
    {
        _window.Record(Start, 100);
        _window.Record(Start + TimeSpan.FromMilliseconds(500), 90);

        Assert.Equal(0, _window.PerSecond);
        Assert.Equal(0, _window.Peak);
    }

    [Fact]
    public void Cleared_it_needs_two_new_readings()
    {
        _window.Record(Start, 0);
        _window.Record(Start + TimeSpan.FromMilliseconds(500), 50);

        _window.Clear();
        _window.Record(Start + TimeSpan.FromSeconds(9), 900);

        Assert.Null(_window.PerSecond);
        Assert.Null(_window.Peak);
    }

    [Fact]
    public void The_peak_is_the_highest_rate_within_the_horizon_and_falls_when_it_leaves_it()
    {
        // 200 a second for 2 s, then 50 a second.
        var total = 0L;
        var at = Start;
        for (var i = 0; i < 20; i++, at += TimeSpan.FromMilliseconds(100))
        {
            _window.Record(at, total += 20);
        }
        for (var i = 0; i < 300; i++, at += TimeSpan.FromMilliseconds(100))
        {
            _window.Record(at, total += 5);
        }

        Assert.Equal(50, _window.PerSecond!.Value, precision: 6);
        Assert.Equal(200, _window.Peak!.Value, precision: 6);

        // 40 s on at 50 a second, the 200 a second has left the 60 s horizon.
        for (var i = 0; i < 400; i++, at += TimeSpan.FromMilliseconds(100))
        {
            _window.Record(at, total += 5);
        }
        Assert.Equal(50, _window.Peak!.Value, precision: 6);
    }
}

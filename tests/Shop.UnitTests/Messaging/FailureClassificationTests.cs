using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Messaging;

namespace Shop.UnitTests.Messaging;

public sealed class FailureClassificationTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new TimeoutException(), true },
        { new NpgsqlException("connection refused", new System.Net.Sockets.SocketException()), true },
        { new DbUpdateException("save failed", new TimeoutException()), true },
        { new InvalidOperationException("wrapped", new IOException("reset")), true },
        { new InvalidOperationException("a bug"), false },
        { new ArgumentException("bad"), false },
        { new PoisonMessageException("contract broken"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Transient_failures_are_told_from_permanent_ones(Exception failure, bool transient) =>
        Assert.Equal(transient, TransientFailures.IsTransient(failure));

    [Fact]
    public void Backoff_grows_from_100_ms_and_stays_under_its_cap()
    {
        var cap = TimeSpan.FromSeconds(2);
        var delays = Enumerable.Range(1, 20).Select(attempt => Backoff.Delay(attempt, cap)).ToList();

        Assert.InRange(delays[0].TotalMilliseconds, 80, 120);
        Assert.InRange(delays[3].TotalMilliseconds, 640, 960);
        Assert.All(delays, d => Assert.True(d <= cap * 1.2, $"{d} is within the cap and its jitter"));
    }
}

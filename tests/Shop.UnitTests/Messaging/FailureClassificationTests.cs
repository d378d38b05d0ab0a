using Microsoft.EntityFrameworkCore;

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

    /// <summary>PostgreSQL's own answers: the connection lost, a conflict worth retrying, the server going away; or a real error.</summary>
    [Theory]
    [InlineData("08000", true)] // connection_exception
    [InlineData("08006", true)] // connection_failure
    [InlineData("08P01", true)] // protocol_violation: still class 08
    [InlineData("40001", true)] // serialization_failure
    [InlineData("40P01", true)] // deadlock_detected
    [InlineData("57P01", true)] // admin_shutdown
    [InlineData("57P02", true)] // crash_shutdown
    [InlineData("57P03", true)] // cannot_connect_now
    [InlineData("53300", true)] // too_many_connections
    [InlineData("53200", true)] // out_of_memory: Npgsql calls it transient
    [InlineData("23505", false)] // unique_violation
    [InlineData("23514", false)] // check_violation (a balance below zero)
    [InlineData("22003", false)] // numeric_value_out_of_range
    [InlineData("42P01", false)] // undefined_table
    [InlineData("P0001", false)] // raise_exception
    [InlineData("57014", false)] // query_canceled: a statement timeout is not waited out by retrying
    public void PostgreSQL_errors_are_transient_by_their_code(string sqlState, bool transient)
    {
        var error = new PostgresException("test", "ERROR", "ERROR", sqlState);

        Assert.Equal(transient, TransientFailures.IsTransient(error));
        Assert.Equal(transient, TransientFailures.IsTransient(new DbUpdateException("save failed", error)));
    }

    /// <summary>The broker's connection or channel closed under the caller (a restart, a forced close): the next attempt opens a new one.</summary>
    [Fact]
    public void A_broker_connection_or_channel_closed_under_the_caller_is_transient_also_when_wrapped()
    {
        var reason = new RabbitMQ.Client.Events.ShutdownEventArgs(RabbitMQ.Client.ShutdownInitiator.Peer, 320, "CONNECTION_FORCED - broker forced connection closure");

        Assert.True(TransientFailures.IsTransient(new RabbitMQ.Client.Exceptions.AlreadyClosedException(reason)));
        Assert.True(TransientFailures.IsTransient(new RabbitMQ.Client.Exceptions.OperationInterruptedException(reason)));
        Assert.True(TransientFailures.IsTransient(new InvalidOperationException("publish failed", new RabbitMQ.Client.Exceptions.AlreadyClosedException(reason))));
    }

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

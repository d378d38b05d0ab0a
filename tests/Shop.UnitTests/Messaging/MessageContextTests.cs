namespace Shop.UnitTests.Messaging;

public sealed class MessageContextTests
{
    private static MessageContext NewContext() => new(Guid.NewGuid(), "PaymentCompleted", "orders.payment-results", Redelivered: false, TraceParent: null);

    [Fact]
    public void Actions_run_once_after_the_commit_in_the_order_registered()
    {
        var context = NewContext();
        var ran = new List<int>();
        context.BeginAttempt();
        context.OnCommitted(() => ran.Add(1));
        context.OnCommitted(() => ran.Add(2));
        Assert.Empty(ran);

        context.Committed();
        context.Committed();

        Assert.Equal([1, 2], ran);
    }

    [Fact]
    public void Actions_of_a_failed_attempt_do_not_run_when_the_retry_commits()
    {
        var context = NewContext();
        var counted = 0;
        context.BeginAttempt();
        context.OnCommitted(() => counted++); // this attempt rolls back

        context.BeginAttempt();
        context.OnCommitted(() => counted++);
        context.Committed();

        Assert.Equal(1, counted);
    }
}

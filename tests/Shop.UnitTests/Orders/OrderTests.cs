using Shop.Orders.Domain;

namespace Shop.UnitTests.Orders;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pending_order_becomes_paid_once_and_a_later_failure_changes_nothing()
    {
        var order = new Order { Amount = 10, CreatedAt = Created, UpdatedAt = Created };

        Assert.True(order.Complete(paid: true, reason: null, paymentAt: null, Created.AddSeconds(1)));
        Assert.False(order.Complete(paid: false, reason: "insufficient_funds", paymentAt: null, Created.AddSeconds(2)));

        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.Null(order.Reason);
        Assert.Equal(Created.AddSeconds(1), order.UpdatedAt);
    }

    [Fact]
    public void Failed_order_keeps_its_reason()
    {
        var order = new Order { Amount = 10 };

        order.Complete(paid: false, reason: "account_not_found", paymentAt: null, Created);

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Equal("account_not_found", order.Reason);
    }

    [Fact]
    public void Completed_order_keeps_when_payments_decided_and_a_later_result_does_not_move_it()
    {
        var order = new Order { Amount = 10, CreatedAt = Created, UpdatedAt = Created };

        order.Complete(paid: true, reason: null, paymentAt: Created.AddMilliseconds(7), Created.AddMilliseconds(12));
        order.Complete(paid: false, reason: "insufficient_funds", paymentAt: Created.AddMilliseconds(20), Created.AddMilliseconds(25));

        Assert.Equal(Created.AddMilliseconds(7), order.PaymentAt);
        Assert.Equal(Created.AddMilliseconds(12), order.UpdatedAt);
    }

    [Fact]
    public void Result_without_a_decision_time_leaves_the_payment_time_empty()
    {
        var order = new Order { Amount = 10, CreatedAt = Created, UpdatedAt = Created };

        order.Complete(paid: false, reason: "account_not_found", paymentAt: null, Created.AddSeconds(1));

        Assert.Equal(OrderStatus.Failed, order.Status);
        Assert.Null(order.PaymentAt);
    }
}

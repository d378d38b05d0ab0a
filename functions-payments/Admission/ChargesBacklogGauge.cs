using Shop.Api.Admission;
using Shop.Messaging.RabbitMq;
using Shop.Messaging;

namespace Shop.Payments.Admission;

/// <summary>OrderCreated messages received and waiting for a free consumer worker: charges this instance cannot keep up with.</summary>
public sealed class ChargesBacklogGauge(ConsumerBacklog backlog) : IBacklogGauge
{
    public string Describes => "payments waiting to be charged";

    public long? Current => backlog.Buffered;
}

using System.ComponentModel.DataAnnotations;
using RabbitMQ.Client;

namespace Shop.Messaging.RabbitMq;

public sealed class RabbitMqOptions : IValidatableObject
{
    public const string SectionName = "RabbitMq";

    /// <summary>The queue type when <c>RabbitMq:QueueType</c> is not set: the one place the default is chosen.</summary>
    public const QueueType DefaultQueueType = QueueType.Quorum;

    /// <summary>
    /// An AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>, read from <c>ConnectionStrings:{name}</c>: the
    /// credentials and virtual host, and the node to connect to unless <see cref="Endpoints"/> lists the cluster's nodes.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The cluster's nodes, comma-separated <c>host:port</c>. Each connection goes to one of them picked at random and,
    /// when it breaks, the next attempt tries them all again, so a service reaches any node that is up.
    /// </summary>
    public string? Endpoints { get; set; }

    /// <summary>How every durable queue and its dead-letter queue is declared.</summary>
    [EnumDataType(typeof(QueueType))]
    public QueueType QueueType { get; set; } = DefaultQueueType;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The nodes to try, in the form the client takes: <see cref="Endpoints"/>, else the connection string's host.</summary>
    internal IReadOnlyList<AmqpTcpEndpoint> AmqpEndpoints()
    {
        var uri = new Uri(ConnectionString);
        var tls = uri.Scheme == "amqps";
        var nodes = BrokerEndpoint.TryParseList(Endpoints, uri.Port > 0 ? uri.Port : tls ? 5671 : 5672, out var error)
            ?? throw new InvalidOperationException(error);
        if (nodes.Count == 0)
        {
            nodes = [new BrokerEndpoint(uri.DnsSafeHost, uri.Port > 0 ? uri.Port : tls ? 5671 : 5672)];
        }
        return nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port, new SslOption(node.Host, enabled: tls))).ToList();
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ConnectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            yield return new ValidationResult("The RabbitMQ connection string must be an AMQP URI such as amqp://guest:guest@127.0.0.1:5672/.",
                [nameof(ConnectionString)]);
        }
        else if (BrokerEndpoint.TryParseList(Endpoints, 5672, out var error) is null)
        {
            yield return new ValidationResult(error, [nameof(Endpoints)]);
        }
    }
}

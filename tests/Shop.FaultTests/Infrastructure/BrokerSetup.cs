namespace Shop.FaultTests.Infrastructure;

/// <summary>Where a <see cref="ProcessSystem"/>'s apps find RabbitMQ: the suite's single node, or the nodes of a cluster.</summary>
/// <param name="Host">The node named in the connection string (credentials and virtual host come from it too).</param>
/// <param name="Endpoints">RabbitMq:Endpoints for every app; null for the single node.</param>
/// <param name="QueueType">RabbitMq:QueueType for the function apps; null leaves it to the environment or the default.</param>
public sealed record BrokerSetup(string Host, int Port, Uri Management, string? Endpoints = null, QueueType? QueueType = null)
{
    public static BrokerSetup SingleNode { get; } = new(FaultEnvironment.RabbitMqHost, FaultEnvironment.RabbitMqPort, FaultEnvironment.RabbitMqManagement);

    /// <summary>The suite's own node, which the fault suite stops and starts (a cluster is managed by its own fixture).</summary>
    public bool IsSingleNode => Endpoints is null;

    public string Uri(string vhost) => $"amqp://guest:guest@{Host}:{Port}/{System.Uri.EscapeDataString(vhost)}";
}

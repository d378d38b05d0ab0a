namespace Shop.FaultTests.Cluster;

/// <summary>The cluster tests share one three-node cluster and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<RabbitMqCluster>
{
    public const string Name = "RabbitMQ cluster";
}

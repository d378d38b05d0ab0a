namespace Shop.Deployment.Tests;

/// <summary>Each function app scales with KEDA on the length of the queue it consumes, and never to zero.</summary>
public sealed class KedaScalingTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ConsumedQueues =
        DotnetApp.FunctionApps.ToDictionary(app => app.Service, AppQueues.ConsumedBy, StringComparer.Ordinal);

    [Fact]
    public void Each_function_app_consumes_the_queues_its_registration_declares()
    {
        Assert.Equal([ShopTopology.OrdersPaymentResultsQueue], ConsumedQueues["functions-orders"]);
        Assert.Equal([ShopTopology.PaymentsOrderCreatedQueue], ConsumedQueues["functions-payments"]);
    }

    [Fact]
    public void Every_function_app_scales_on_its_consumer_queue_from_at_least_one_replica()
    {
        ProblemList.AssertEmpty(ScalingRules.Problems(KubernetesManifests.Load(), ConsumedQueues));
    }

    [Fact]
    public void A_queue_the_topology_does_not_declare_is_reported()
    {
        var problems = ProblemsWithScaledObject("functions-payments", body => body["spec"]!["triggers"]![0]!["metadata"]!["queueName"] = "payments.order-create");

        ProblemList.AssertReported(problems, "queueName 'payments.order-create' is not a queue ShopTopology declares");
        ProblemList.AssertReported(problems, "functions-payments consumes payments.order-created, but no rabbitmq trigger scales it");
    }

    [Fact]
    public void Another_apps_queue_is_reported()
    {
        var problems = ProblemsWithScaledObject("functions-orders",
            body => body["spec"]!["triggers"]![0]!["metadata"]!["queueName"] = ShopTopology.PaymentsOrderCreatedQueue);

        ProblemList.AssertReported(problems, "'payments.order-created' is not consumed by functions-orders");
    }

    [Fact]
    public void Scaling_to_zero_or_without_a_maximum_is_reported()
    {
        var problems = ProblemsWithScaledObject("functions-orders", body =>
        {
            body["spec"]!["minReplicaCount"] = 0;
            body["spec"]!.AsObject().Remove("maxReplicaCount");
        });

        ProblemList.AssertReported(problems, "minReplicaCount is 0");
        ProblemList.AssertReported(problems, "maxReplicaCount must be set");
    }

    [Fact]
    public void A_scaler_without_the_apps_broker_is_reported()
    {
        var missingAuth = ProblemsWithScaledObject("functions-orders", body => body["spec"]!["triggers"]![0]!["authenticationRef"]!["name"] = "rabbit-auth");
        var otherBroker = KubernetesManifests.Load()
            .With("Secret", "shop-secrets", body => body["stringData"]!["scaler-uri"] = "amqp://guest:guest@elsewhere:5672/")
            .With("TriggerAuthentication", "rabbitmq-auth", body => body["spec"]!["secretTargetRef"]![0]!["key"] = "scaler-uri");

        ProblemList.AssertReported(missingAuth, "TriggerAuthentication 'rabbit-auth'");
        ProblemList.AssertReported(ScalingRules.Problems(otherBroker, ConsumedQueues), "functions-orders connects to another one");
    }

    /// <summary>The problems found in deploy/ once <paramref name="change"/> is made to the ScaledObject of <paramref name="app"/>.</summary>
    private static List<string> ProblemsWithScaledObject(string app, Action<JsonObject> change) =>
        ScalingRules.Problems(KubernetesManifests.Load().With("ScaledObject", app, change), ConsumedQueues);
}

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>Where the real PostgreSQL and RabbitMQ of the tests run (scripts/infra.sh starts them on 127.0.0.1).</summary>
public static class TestEnvironment
{
    public static string PostgresAdmin { get; } =
        Environment.GetEnvironmentVariable("SHOP_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=shop;Password=shop;Database=postgres";

    public static string RabbitMqHost { get; } = Environment.GetEnvironmentVariable("SHOP_TEST_RABBITMQ_HOST") ?? "127.0.0.1";

    public static string RabbitMqManagement { get; } = $"http://{RabbitMqHost}:15672";

    /// <summary>
    /// The queue type the apps of this run declare: <c>RabbitMq__QueueType</c> from the environment, which every app the
    /// tests start reads as its own setting (scripts/test.sh runs the suites on one type and the invariants on the other).
    /// </summary>
    public static QueueType QueueType { get; } =
        Enum.TryParse<QueueType>(Environment.GetEnvironmentVariable("RabbitMq__QueueType"), ignoreCase: true, out var type)
            ? type
            : RabbitMqOptions.DefaultQueueType;

    public static string RabbitMqUri(string vhost) => $"amqp://guest:guest@{RabbitMqHost}:5672/{Uri.EscapeDataString(vhost)}";
}

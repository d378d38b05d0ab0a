using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Trace;
using Shop.Messaging.RabbitMq;
using Shop.Testing;

namespace Shop.Hosting.Tests;

/// <summary>
/// The apps' logs under the Functions host (func start, the Functions container), as far as they can be checked without
/// the host: the host prints the worker's stdout (category Host.Function.Console) but drops logs relayed over gRPC
/// outside an invocation, so the worker must write its own records to the console, one per line, whether or not an
/// OTLP endpoint is configured, and keep them off the relay so none prints twice.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class WorkerLoggingTests
{
    private const string OtlpArgument = "--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317";

    [Fact]
    public void Host_json_keeps_OpenTelemetry_mode_and_lets_the_workers_console_lines_through()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "host.json")));
        var root = hostJson.RootElement;
        var levels = root.GetProperty("logging").GetProperty("logLevel");

        Assert.Equal("OpenTelemetry", root.GetProperty("telemetryMode").GetString());
        // The host logs each stdout line of the worker at Information under this category.
        Assert.Equal("Information", levels.GetProperty("Host.Function.Console").GetString());
        Assert.True(Enum.Parse<LogLevel>(levels.GetProperty("default").GetString()!) <= LogLevel.Information);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_worker_logs_to_the_console_with_or_without_an_otlp_endpoint(bool otlp)
    {
        using var host = BuildOrdersWorker(otlp ? [OtlpArgument] : []);

        var providers = host.Services.GetServices<ILoggerProvider>().Select(p => p.GetType().FullName!).ToList();

        Assert.Contains(typeof(ConsoleLoggerProvider).FullName!, providers);
        Assert.Contains(WorkerConsoleLogging.HostRelayProvider, providers);
        Assert.Equal(otlp, providers.Contains("OpenTelemetry.Logs.OpenTelemetryLoggerProvider"));
        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_dead_letter_a_relay_failure_and_a_reconnect_reach_stdout_as_one_line_each_and_not_the_host_relay(bool otlp)
    {
        using var console = ConsoleCapture.Start();
        using var host = BuildOrdersWorker(otlp ? [OtlpArgument] : []);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();
        var messageId = Guid.NewGuid();

        loggers.CreateLogger("Shop.Messaging.RabbitMq.RabbitMqConsumerHost")
            .LogError("Dead-lettering message {MessageId} (OrderCreated) from {Queue}: bad json", messageId, "payments.order-created");
        loggers.CreateLogger("Shop.Messaging.Outbox.OutboxRelayWorker")
            .LogError(new InvalidOperationException("broker down"), "Outbox relay round failed ({Failures} in a row); retrying {MessageId}", 3, messageId);
        loggers.CreateLogger("Shop.Messaging.RabbitMq.RabbitMqConsumerHost")
            .LogWarning("Broker unavailable for {Queue} ({Failures} failures in a row); reconnecting {MessageId}", "orders.payment-results", 2, messageId);
        loggers.CreateLogger(WorkerConsoleLogging.WorkerCategory + ".FunctionsApplication")
            .LogWarning("worker record {MessageId}", messageId);

        // The console logger writes from its own thread.
        var lines = await Eventually.UntilAsync(
            () => Task.FromResult(console.Lines().Where(line => line.Contains(messageId.ToString(), StringComparison.Ordinal)).ToList()),
            found => found.Count >= 4,
            $"four console lines naming {messageId}");
        Assert.Equal(4, lines.Count);

        Assert.Contains(lines, line => line.StartsWith("fail: Shop.Messaging.RabbitMq.RabbitMqConsumerHost", StringComparison.Ordinal)
            && line.Contains($"Dead-lettering message {messageId} (OrderCreated) from payments.order-created", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("fail: Shop.Messaging.Outbox.OutboxRelayWorker", StringComparison.Ordinal)
            && line.Contains("Outbox relay round failed (3 in a row)", StringComparison.Ordinal)
            && line.Contains("broker down", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("warn: Shop.Messaging.RabbitMq.RabbitMqConsumerHost", StringComparison.Ordinal)
            && line.Contains("Broker unavailable for orders.payment-results (2 failures in a row); reconnecting", StringComparison.Ordinal));

        // What went to the host over gRPC: only the worker's own record.
        var relayed = HostRelay.Drain(host.Services).Where(message => message.Contains(messageId.ToString(), StringComparison.Ordinal)).ToList();
        var record = Assert.Single(relayed);
        Assert.Contains(WorkerConsoleLogging.WorkerCategory, record, StringComparison.Ordinal);
    }

    // Built, never started: the connection strings are read at registration, nothing connects.
    private static IHost BuildOrdersWorker(string[] args) => FunctionsWorkerHost.Build(
        [
            $"--ConnectionStrings:{OrdersExtensions.DatabaseConnectionName}=Host=127.0.0.1;Database=unused;Username=shop;Password=shop",
            $"--ConnectionStrings:{OrdersExtensions.BrokerConnectionName}=amqp://guest:guest@127.0.0.1:5672/",
            .. args,
        ],
        builder => builder.AddOrders());

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Shop.sln not found above the test output.");
    }
}

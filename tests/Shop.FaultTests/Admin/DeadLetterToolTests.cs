using RabbitMQ.Client;
using Shop.Messaging;

namespace Shop.FaultTests.Admin;

/// <summary>tools/Shop.Admin against the real broker: list leaves dead letters in place, replay republishes after the confirm.</summary>
public sealed class DeadLetterToolTests(ProcessSystem system, ITestOutputHelper output) : IClassFixture<ProcessSystem>
{
    private const string Queue = ShopTopology.PaymentsOrderCreatedQueue;
    private const string DeadLetters = Queue + ShopTopology.DeadLetterSuffix;

    [Fact]
    public async Task Listed_dead_letters_stay_and_a_replayed_order_is_charged_while_poison_stays_in_the_queue()
    {
        var user = Random.Shared.NextInt64(1_000_000, 9_000_000) * 1000;
        await PostAsync("/payments/account/topup", user, "{\"amount\":500}");

        // An OrderCreated dead-lettered during an incident (Payments is down, the message is moved aside as the consumer would).
        await system.Payments.KillAsync();
        var orderId = System.Text.Json.JsonDocument.Parse(await PostAsync("/orders/orders", user, "{\"amount\":300}")).RootElement.GetProperty("id").GetGuid();
        await using var broker = await RawBroker.ConnectAsync(system.BrokerUri);
        var orderCreated = await MoveToDeadLettersAsync(orderId);
        var poison = (await MessageInjection.PublishPoisonAsync(broker, user, onlyKind: "amount -5")).Single();
        await system.Payments.StartAsync();
        await Eventually.UntilAsync(async () => (await broker.PeekAsync(DeadLetters)).Count, n => n == 2, "the poison message to be dead-lettered", TimeSpan.FromSeconds(30), retryProbeErrors: true);

        var list = await AdminAsync("dlq", "list", "--queue", DeadLetters);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(orderCreated, list.Output, StringComparison.Ordinal);
        Assert.Contains(orderId.ToString(), list.Output, StringComparison.Ordinal);
        Assert.Contains(poison.MessageId.ToString(), list.Output, StringComparison.Ordinal);
        Assert.Contains("simulated incident", list.Output, StringComparison.Ordinal);
        Assert.Contains("user", list.Output, StringComparison.Ordinal); // the poison's reason names its user and amount
        Assert.Equal(2, (await broker.PeekAsync(DeadLetters)).Count);

        var missing = await AdminAsync("dlq", "replay", DeadLetters, "--message-id", Guid.NewGuid().ToString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal(2, (await broker.PeekAsync(DeadLetters)).Count);

        var replay = await AdminAsync("dlq", "replay", DeadLetters, "--message-id", orderCreated);
        Assert.Equal(0, replay.ExitCode);
        await Eventually.UntilAsync(() => system.OrdersDb.ScalarAsync("SELECT count(*) FROM orders WHERE id = $1 AND status = 'PAID'", orderId),
            n => n == 1, "the replayed order to be paid", TimeSpan.FromSeconds(30), retryProbeErrors: true);
        Assert.Equal(1, await system.PaymentsDb.ScalarAsync("SELECT count(*) FROM transactions WHERE order_id = $1 AND kind = 'charge'", orderId));
        var left = await broker.PeekAsync(DeadLetters);
        Assert.Equal(poison.MessageId.ToString(), Assert.Single(left).MessageId);

        // Replaying poison sends it through the consumer again, which dead-letters it again: it is never lost, never loops.
        var all = await AdminAsync("dlq", "replay", DeadLetters, "--all");
        Assert.Equal(0, all.ExitCode);
        await Eventually.UntilAsync(async () => (await broker.PeekAsync(DeadLetters)).Select(m => m.MessageId).ToList(),
            ids => ids.Count == 1 && ids[0] == poison.MessageId.ToString(), "the poison to come back to the dead-letter queue", TimeSpan.FromSeconds(30), retryProbeErrors: true);
    }

    /// <summary>Takes the order's OrderCreated off the consumer queue and puts it on the DLQ with the headers a consumer writes.</summary>
    private async Task<string> MoveToDeadLettersAsync(Guid orderId)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(system.BrokerUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var message = await Eventually.UntilAsync(() => channel.BasicGetAsync(Queue, autoAck: false), m => m is not null,
            "the OrderCreated to reach the Payments queue", TimeSpan.FromSeconds(30), retryProbeErrors: true);
        Assert.Equal(orderId.ToString(), message!.BasicProperties.CorrelationId);
        var properties = new BasicProperties(message.BasicProperties)
        {
            Headers = new Dictionary<string, object?>(message.BasicProperties.Headers ?? new Dictionary<string, object?>())
            {
                [MessageHeaders.DeathReason] = "simulated incident: the account service was misconfigured",
                [MessageHeaders.OriginalExchange] = message.Exchange,
                [MessageHeaders.OriginalRoutingKey] = message.RoutingKey,
                [MessageHeaders.OriginalQueue] = Queue,
                [MessageHeaders.DeadLetteredAt] = DateTimeOffset.UtcNow.ToString("O"),
            },
        };
        await channel.BasicPublishAsync(ShopTopology.DeadLetterExchange, Queue, mandatory: true, properties, message.Body);
        await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        return message.BasicProperties.MessageId!;
    }

    private async Task<string> PostAsync(string path, long user, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-User-ID", user.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await system.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private async Task<(int ExitCode, string Output)> AdminAsync(params string[] arguments)
    {
        var dll = FaultEnvironment.BuildOutput(Path.Combine("tools", "Shop.Admin"), "Shop.Admin.dll");
        var command = "dotnet " + string.Join(' ', new[] { dll }.Concat(arguments).Concat(["--broker", system.BrokerUri]).Select(a => $"'{a}'"));
        var result = await Shell.RunAsync(command, TimeSpan.FromSeconds(60));
        output.WriteLine($"$ shop-admin {string.Join(' ', arguments)}  (exit {result.ExitCode})\n{result.Output}");
        return result;
    }
}

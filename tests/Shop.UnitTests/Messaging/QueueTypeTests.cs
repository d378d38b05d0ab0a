using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Shop.UnitTests.Messaging;

public sealed class QueueTypeTests
{
    [Fact]
    public void Every_consumer_queue_is_declared_after_its_dead_letter_queue_and_both_with_the_unrouted_queue()
    {
        var names = ShopTopology.DurableQueues.Select(q => q.Name).ToList();

        Assert.Contains(ShopTopology.UnroutedQueue, names);
        Assert.All(ShopTopology.Queues, binding =>
            Assert.True(names.IndexOf(binding.Queue + ShopTopology.DeadLetterSuffix) is >= 0 and var dlq && dlq < names.IndexOf(binding.Queue)));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData(QueueType.Quorum, "quorum")]
    [InlineData(QueueType.Classic, "classic")]
    public void Every_durable_queue_names_its_type_explicitly(QueueType type, string expected) =>
        Assert.All(ShopTopology.DurableQueues, queue => Assert.Equal(expected, ShopTopology.QueueArguments(queue, type)["x-queue-type"]));

    [Fact]
    public void A_quorum_consumer_queue_dead_letters_past_the_delivery_limit_into_its_own_dlq_at_least_once()
    {
        var queue = ShopTopology.DurableQueues.Single(q => q.Name == ShopTopology.PaymentsOrderCreatedQueue);

        var arguments = ShopTopology.QueueArguments(queue, QueueType.Quorum);

        Assert.Equal(ShopTopology.DeliveryLimit, arguments["x-delivery-limit"]);
        Assert.Equal(ShopTopology.DeadLetterExchange, arguments["x-dead-letter-exchange"]);
        Assert.Equal(ShopTopology.PaymentsOrderCreatedQueue, arguments["x-dead-letter-routing-key"]);
        Assert.Equal("at-least-once", arguments["x-dead-letter-strategy"]);
        Assert.Equal("reject-publish", arguments["x-overflow"]);
    }

    [Fact]
    public void A_classic_consumer_queue_keeps_its_dead_letter_route_without_the_quorum_only_arguments()
    {
        var queue = ShopTopology.DurableQueues.Single(q => q.Name == ShopTopology.OrdersPaymentResultsQueue);

        var arguments = ShopTopology.QueueArguments(queue, QueueType.Classic);

        Assert.Equal(ShopTopology.OrdersPaymentResultsQueue, arguments["x-dead-letter-routing-key"]);
        Assert.DoesNotContain("x-delivery-limit", arguments.Keys);
        Assert.DoesNotContain("x-dead-letter-strategy", arguments.Keys);
    }

    [Fact]
    public void Dead_letter_queues_are_bound_to_the_dead_letter_exchange_by_their_queue_name()
    {
        var dlq = ShopTopology.DurableQueues.Single(q => q.Name == ShopTopology.PaymentsOrderCreatedQueue + ShopTopology.DeadLetterSuffix);

        Assert.Equal(DurableQueueRole.DeadLetter, dlq.Role);
        Assert.Equal(ShopTopology.DeadLetterExchange, dlq.Exchange);
        Assert.Equal([ShopTopology.PaymentsOrderCreatedQueue], dlq.RoutingKeys);
        Assert.Equal(["x-queue-type"], ShopTopology.QueueArguments(dlq, QueueType.Quorum).Keys);
    }

    [Theory]
    [InlineData(null, RabbitMqOptions.DefaultQueueType)]
    [InlineData("quorum", QueueType.Quorum)]
    [InlineData("Classic", QueueType.Classic)]
    public void The_queue_type_binds_from_configuration_case_insensitively(string? value, QueueType expected)
    {
        var options = Bind(("RabbitMq:QueueType", value));

        Assert.Equal(expected, options.QueueType);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void A_queue_type_that_is_no_type_fails_validation()
    {
        var options = Bind(("RabbitMq:QueueType", "7"));

        Assert.Contains(Validate(options), result => result.MemberNames.Contains(nameof(RabbitMqOptions.QueueType)));
    }

    [Fact]
    public void Without_endpoints_the_connection_string_names_the_only_node()
    {
        var options = Bind(("RabbitMq:Endpoints", null));

        Assert.Equal(["broker.internal:5679"], options.AmqpEndpoints().Select(e => $"{e.HostName}:{e.Port}"));
    }

    [Fact]
    public void Endpoints_replace_the_connection_string_host_and_keep_its_port_as_the_default()
    {
        var options = Bind(("RabbitMq:Endpoints", "10.0.0.1:5681, 10.0.0.2 ,[::1]:5683"));

        Assert.Empty(Validate(options));
        Assert.Equal(["10.0.0.1:5681", "10.0.0.2:5679", "::1:5683"], options.AmqpEndpoints().Select(e => $"{e.HostName}:{e.Port}"));
    }

    [Fact]
    public void Endpoints_that_are_not_host_port_pairs_fail_validation_naming_the_setting()
    {
        var options = Bind(("RabbitMq:Endpoints", "10.0.0.1:5681,10.0.0.2:notaport"));

        var problem = Assert.Single(Validate(options));
        Assert.Contains("RabbitMq:Endpoints", problem.ErrorMessage);
        Assert.Contains("10.0.0.2:notaport", problem.ErrorMessage);
    }

    [Fact]
    public void A_connection_string_that_is_no_AMQP_URI_fails_validation()
    {
        var options = new RabbitMqOptions { ConnectionString = "Host=127.0.0.1" };

        Assert.Contains(Validate(options), result => result.MemberNames.Contains(nameof(RabbitMqOptions.ConnectionString)));
    }

    [Theory]
    [InlineData("amqp://guest:guest@broker.internal/", null, "broker.internal:5672", false)]
    [InlineData("amqps://guest:guest@broker.internal/", null, "broker.internal:5671", true)]
    [InlineData("amqps://guest:guest@broker.internal:5690/", null, "broker.internal:5690", true)]
    [InlineData("amqp://guest:guest@broker.internal/", "10.0.0.1,10.0.0.2:5681", "10.0.0.1:5672,10.0.0.2:5681", false)]
    [InlineData("amqps://guest:guest@broker.internal/", "10.0.0.1,10.0.0.2:5681", "10.0.0.1:5671,10.0.0.2:5681", true)]
    public void Without_a_port_a_node_takes_AMQPs_own_5672_or_5671_for_TLS_which_amqps_turns_on_for_every_node(
        string connectionString, string? endpoints, string expected, bool tls)
    {
        var options = new RabbitMqOptions { ConnectionString = connectionString, Endpoints = endpoints };

        Assert.Empty(Validate(options));
        var nodes = options.AmqpEndpoints();
        Assert.Equal(expected, string.Join(",", nodes.Select(e => $"{e.HostName}:{e.Port}")));
        Assert.All(nodes, node => Assert.Equal((tls, node.HostName), (node.Ssl.Enabled, node.Ssl.ServerName)));
    }

    [Theory]
    [InlineData("Host=127.0.0.1")]
    [InlineData("http://broker.internal:5672/")]
    public void A_connection_string_that_is_no_AMQP_URI_is_refused_with_an_example_of_one(string connectionString)
    {
        var problem = Assert.Single(Validate(new RabbitMqOptions { ConnectionString = connectionString }),
            result => result.MemberNames.Contains(nameof(RabbitMqOptions.ConnectionString)) && result.ErrorMessage is not null
                && result.ErrorMessage.StartsWith("The RabbitMQ connection string must be an AMQP URI", StringComparison.Ordinal));
        Assert.Contains("amqp://guest:guest@127.0.0.1:5672/", problem.ErrorMessage);
    }

    [Fact]
    public void The_mismatch_error_names_the_queue_the_setting_the_broker_reply_and_the_migrate_command()
    {
        var error = new QueueMismatchException(ShopTopology.PaymentsOrderCreatedQueue, QueueType.Quorum,
            "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'payments.order-created'");

        Assert.Contains("'payments.order-created'", error.Message);
        Assert.Contains("RabbitMq:QueueType=quorum", error.Message);
        Assert.Contains("inequivalent arg 'x-queue-type'", error.Message);
        Assert.Contains("dotnet run --project tools/Shop.Admin -- queues migrate --to quorum", error.Message);
    }

    private static RabbitMqOptions Bind(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("RabbitMq:ConnectionString", "amqp://guest:guest@broker.internal:5679/shop"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build();
        var options = new RabbitMqOptions();
        configuration.GetSection(RabbitMqOptions.SectionName).Bind(options);
        return options;
    }

    private static List<ValidationResult> Validate(RabbitMqOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}

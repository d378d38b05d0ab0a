using Shop.Contracts;
using Shop.Messaging;

namespace Shop.Admin;

public enum AdminAction
{
    List,
    Replay,
    Migrate,
}

/// <summary>The parsed command line: what to do, to which dead-letter queues, on which broker.</summary>
/// <param name="MessageId">For replay: the one message to replay, or null for --all.</param>
/// <param name="QueueType">For migrate: the type every durable queue ends up as.</param>
public sealed record AdminCommand(AdminAction Action, IReadOnlyList<string> Queues, string? MessageId, string Broker, QueueType? QueueType = null)
{
    public const string DefaultBroker = "amqp://guest:guest@127.0.0.1:5672/";
    public const int UsageExitCode = 2;

    /// <summary>Every dead-letter queue of the shop's topology.</summary>
    public static IReadOnlyList<string> AllDeadLetterQueues { get; } =
        ShopTopology.Queues.Select(q => q.Queue + ShopTopology.DeadLetterSuffix).ToList();

    public static AdminCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count < 2 || args[0] is not ("dlq" or "queues"))
        {
            throw new ArgumentException("Expected 'token', 'dlq list', 'dlq replay' or 'queues migrate'.");
        }
        string? queue = null, messageId = null, broker = null, to = null;
        var all = false;
        var positional = new List<string>();
        for (var i = 2; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--queue":
                    queue = Value(args, ref i);
                    break;
                case "--message-id":
                    messageId = Value(args, ref i);
                    break;
                case "--broker":
                    broker = Value(args, ref i);
                    break;
                case "--all":
                    all = true;
                    break;
                case "--to":
                    to = Value(args, ref i);
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"Unknown option {args[i]}.");
                    }
                    positional.Add(args[i]);
                    break;
            }
        }
        // The broker the apps are configured with (scripts/run.sh exports it), else the local one.
        broker ??= Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") is { Length: > 0 } configured ? configured : DefaultBroker;

        if (args[0] == "queues")
        {
            if (args[1] != "migrate")
            {
                throw new ArgumentException($"Unknown command 'queues {args[1]}'.");
            }
            if (positional.Count > 0 || queue is not null || messageId is not null || all)
            {
                throw new ArgumentException("'queues migrate' takes only --to and --broker.");
            }
            return to switch
            {
                "quorum" => new AdminCommand(AdminAction.Migrate, [], null, broker, Messaging.QueueType.Quorum),
                "classic" => new AdminCommand(AdminAction.Migrate, [], null, broker, Messaging.QueueType.Classic),
                _ => throw new ArgumentException("'queues migrate' needs --to quorum or --to classic."),
            };
        }
        if (to is not null)
        {
            throw new ArgumentException("--to belongs to 'queues migrate'.");
        }

        switch (args[1])
        {
            case "list":
                if (positional.Count > 0 || messageId is not null || all)
                {
                    throw new ArgumentException("'dlq list' takes only --queue and --broker.");
                }
                return new AdminCommand(AdminAction.List, queue is null ? AllDeadLetterQueues : [queue], null, broker);
            case "replay":
                var target = positional.Count == 1 ? positional[0] : queue
                    ?? throw new ArgumentException("'dlq replay' needs the dead-letter queue, e.g. payments.order-created.dlq.");
                if (all == (messageId is not null))
                {
                    throw new ArgumentException("'dlq replay' needs exactly one of --message-id ID or --all.");
                }
                return new AdminCommand(AdminAction.Replay, [target], messageId, broker);
            default:
                throw new ArgumentException($"Unknown command 'dlq {args[1]}'.");
        }
    }

    public static int Usage(TextWriter error)
    {
        error.WriteLine("""
            usage:
              token --user <id> [--minutes 60] [--key <base64>] [--issuer shop] [--audience shop]
                  prints a token the gateway accepts in Auth:Mode=Jwt, signed with the key (default: $Auth__SigningKey),
                  e.g. curl -H "Authorization: Bearer $(dotnet run --project tools/Shop.Admin -- token --user 1)" …
              dlq list [--queue <dlq>] [--broker amqp://user:pass@host:5672/vhost]
                  prints every dead letter (message id, type, order id, reason, when) and leaves it in the queue
              dlq replay <dlq> (--message-id <id> | --all) [--broker ...]
                  republishes to the original exchange and routing key with publisher confirms,
                  and removes a message from the dead-letter queue only after its confirm
              queues migrate --to (quorum|classic) [--broker ...]
                  re-creates every durable queue of the topology that has the other type (or other arguments) as
                  the given type, moving its messages aside and back with publisher confirms; run it after changing
                  RabbitMq:QueueType, while the apps on the new setting run or are stopped
            dead-letter queues: 
            """ + string.Join(", ", AllDeadLetterQueues));
        return UsageExitCode;
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}

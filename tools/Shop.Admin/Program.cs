using Shop.Admin;

// token --user N [--minutes M] [--key BASE64] | dlq list [--queue Q] [--broker URI] | dlq replay <queue> (--message-id ID | --all) [--broker URI]
// queues migrate --to (quorum|classic) [--broker URI]
try
{
    if (args.Length > 0 && args[0] == "token")
    {
        return TokenCommand.Parse(args, Environment.GetEnvironmentVariable).Run(Console.Out, Console.Error);
    }
    var command = AdminCommand.Parse(args);
    if (command.Action == AdminAction.Migrate)
    {
        await using var migration = await QueueMigration.ConnectAsync(command.Broker, Console.Out);
        return await migration.MigrateAsync(command.QueueType!.Value);
    }
    await using var deadLetters = await DeadLetterQueues.ConnectAsync(command.Broker);
    return command.Action switch
    {
        AdminAction.List => await deadLetters.ListAsync(command.Queues, Console.Out),
        AdminAction.Replay => await deadLetters.ReplayAsync(command.Queues[0], command.MessageId, Console.Out),
        _ => AdminCommand.Usage(Console.Error),
    };
}
catch (ArgumentException usage)
{
    Console.Error.WriteLine(usage.Message);
    return AdminCommand.Usage(Console.Error);
}

namespace Shop.Hosting.Tests;

/// <summary>
/// Reads what the worker queued for the Functions host over gRPC (its internal GrpcHostChannel): the records the host
/// would receive. Reflection on the worker's internals, so a change there fails here by name rather than silently.
/// </summary>
internal static class HostRelay
{
    private const string ChannelTypeName = "Microsoft.Azure.Functions.Worker.GrpcHostChannel, Microsoft.Azure.Functions.Worker.Grpc";

    /// <summary>Every message queued so far, as the protobuf JSON text of each.</summary>
    public static IReadOnlyList<string> Drain(IServiceProvider services)
    {
        var channelType = Type.GetType(ChannelTypeName, throwOnError: true)!;
        var hostChannel = services.GetService(channelType) ?? throw new InvalidOperationException($"{channelType} is not registered.");
        var channel = channelType.GetProperty("Channel")!.GetValue(hostChannel)!;
        var reader = channel.GetType().GetProperty("Reader", BindingFlags.Public | BindingFlags.Instance)!.GetValue(channel)!;
        var tryRead = reader.GetType().GetMethod("TryRead")!;

        var messages = new List<string>();
        var arguments = new object?[1];
        while ((bool)tryRead.Invoke(reader, arguments)!)
        {
            messages.Add(arguments[0]!.ToString()!);
        }
        return messages;
    }
}

using Microsoft.Extensions.Logging;

namespace Shop.Messaging.Outbox;

/// <summary>Log lines the relay and the dispatch share.</summary>
internal static class OutboxLog
{
    /// <summary>A row the broker did not confirm, naming the row's correlation as the app's events name it.</summary>
    public static Action<ILogger, Guid, string, Guid, Exception?> NotConfirmed(EventContract contract) =>
        LoggerMessage.Define<Guid, string, Guid>(LogLevel.Debug, default,
            $"Outbox message {{MessageId}} ({{Type}}) for {contract.CorrelationName} {{{contract.CorrelationLogProperty}}} was not confirmed");
}

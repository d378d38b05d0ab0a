using Microsoft.Extensions.Logging;
using Shop.Contracts;

namespace Shop.Messaging.Outbox;

/// <summary>Log lines the relay and the dispatch share; they name a row's correlation as the events do (for the shop, its order).</summary>
internal static class OutboxLog
{
    public const string NotConfirmedTemplate =
        "Outbox message {MessageId} ({Type}) for " + EventCorrelation.Name + " {" + EventCorrelation.LogProperty + "} was not confirmed";

    public static readonly Action<ILogger, Guid, string, Guid, Exception?> NotConfirmed =
        LoggerMessage.Define<Guid, string, Guid>(LogLevel.Debug, default, NotConfirmedTemplate);
}

namespace Shop.Messaging;

public static class MessagingTables
{
    public const string Outbox = "outbox_messages";
    public const string Inbox = "inbox_messages";
}

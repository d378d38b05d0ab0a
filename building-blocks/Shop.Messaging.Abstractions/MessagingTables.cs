namespace Shop.Messaging;

/// <summary>The tables of the outbox and the inbox, in every database that maps them; raw SQL names them from here.</summary>
public static class MessagingTables
{
    public const string Outbox = "outbox_messages";
    public const string Inbox = "inbox_messages";
}

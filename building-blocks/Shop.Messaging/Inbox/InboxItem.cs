namespace Shop.Messaging.Inbox;

/// <summary>A decoded delivery on its way through the inbox: its handler's registration, the event and its context.</summary>
internal sealed record InboxItem(ConsumerRegistration Registration, object Message, MessageContext Context);

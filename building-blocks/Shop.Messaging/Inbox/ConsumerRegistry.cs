namespace Shop.Messaging.Inbox;

/// <summary>The queues this service consumes and the event types each accepts.</summary>
internal sealed class ConsumerRegistry
{
    private readonly List<ConsumerRegistration> _registrations = [];

    public void Add(ConsumerRegistration registration)
    {
        if (_registrations.Any(r => r.Queue == registration.Queue && r.Route.TypeName == registration.Route.TypeName))
        {
            throw new InvalidOperationException($"{registration.Route.TypeName} already has a handler on {registration.Queue}.");
        }
        _registrations.Add(registration);
    }

    public IEnumerable<string> Queues => _registrations.Select(r => r.Queue).Distinct();

    public ConsumerRegistration? Find(string queue, string? type) =>
        _registrations.FirstOrDefault(r => r.Queue == queue && r.Route.TypeName == type);
}

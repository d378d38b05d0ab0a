namespace Shop.Messaging;

/// <summary>Reachability of the service's database and broker, for health endpoints.</summary>
public interface IServiceHealth
{
    Task<HealthReport> CheckAsync(CancellationToken cancellationToken);
}

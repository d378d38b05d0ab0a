namespace Shop.IntegrationTests.Infrastructure;

internal static class FaultInjection
{
    /// <summary>Replaces the app's inbox unit of work with one that injects <paramref name="fault"/>.</summary>
    public static Action<IServiceCollection> Inbox<TDbContext>(InboxFault fault) where TDbContext : Microsoft.EntityFrameworkCore.DbContext =>
        services => services.AddScoped<IInboxProcessor>(provider =>
            new FaultyInboxProcessor(ActivatorUtilities.CreateInstance<InboxProcessor<TDbContext>>(provider), fault));
}

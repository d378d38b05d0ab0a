namespace Shop.IntegrationTests.Infrastructure;

/// <summary>One running app (a function app on the development host, or the gateway) on a free loopback port.</summary>
public sealed class AppInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private AppInstance(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AppInstance> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new AppInstance(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

namespace Shop.Hosting.Tests;

/// <summary>One development host shared by the HTTP tests of a class.</summary>
public sealed class DevelopmentHostFixture : IAsyncLifetime
{
    private RunningDevelopmentHost? _host;

    public RunningDevelopmentHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await RunningDevelopmentHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

namespace Shop.Gateway.Tests.Infrastructure;

/// <summary>A gateway in front of two healthy echo backends, shared by the tests of one class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private EchoBackend? _orders;
    private EchoBackend? _payments;
    private GatewayHost? _gateway;

    public HttpClient Client => _gateway?.Client ?? throw new InvalidOperationException("The gateway has not started.");

    public async Task InitializeAsync()
    {
        _orders = await EchoBackend.StartAsync("orders");
        _payments = await EchoBackend.StartAsync("payments");
        _gateway = await GatewayHost.StartAsync(_orders.Address, _payments.Address);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_orders is not null)
        {
            await _orders.DisposeAsync();
        }

        if (_payments is not null)
        {
            await _payments.DisposeAsync();
        }
    }
}

namespace Shop.Deployment.Tests;

/// <summary>docker-compose.yml, as `docker-compose config` normalises it: services, builds, ports, health checks, start order.</summary>
public sealed class ComposeFileTests(ComposeFixture compose) : ComposeChecks(compose), IClassFixture<ComposeFixture>
{
    internal static readonly string[] Services =
        ["rabbitmq", "orders-db", "payments-db", "azurite", "functions-orders", "functions-payments", "gateway-proxy", "static-site", "aspire-dashboard"];

    // The contract's ports (README; 8001: the original Orders service's WebSocket, now on the gateway), plus the infrastructure a
    // `func start` on the host connects to (loopback only).
    internal static readonly Dictionary<string, ComposePort[]> Ports = new(StringComparer.Ordinal)
    {
        ["gateway-proxy"] = [new("", 8000, 8000), new("", 8001, 8001)],
        ["static-site"] = [new("", 8080, 8080)],
        ["rabbitmq"] = [new("", 5672, 5672), new("", 15672, 15672)],
        ["aspire-dashboard"] = [new("", 18888, 18888)],
        ["orders-db"] = [new("127.0.0.1", 5432, 5432)],
        ["payments-db"] = [new("127.0.0.1", 5433, 5432)],
        ["azurite"] = [new("127.0.0.1", 10000, 10000), new("127.0.0.1", 10001, 10001), new("127.0.0.1", 10002, 10002)],
    };

    internal override IReadOnlyList<string> ExpectedServices => Services;

    internal override IReadOnlyDictionary<string, ComposePort[]> DocumentedPorts => Ports;
}

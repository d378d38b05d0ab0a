namespace Shop.Deployment.Tests;

/// <summary>The settings docker-compose.ha.yml adds (RabbitMq__Endpoints, RabbitMq__QueueType) are ones the apps read.</summary>
public sealed class HaComposeEnvironmentTests(HaComposeFixture compose) : ComposeEnvironmentChecks(compose), IClassFixture<HaComposeFixture>;

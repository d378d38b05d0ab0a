namespace Shop.Hosting.Tests.SampleFunctions;

/// <summary>No Route: the Functions host serves it under its name.</summary>
public sealed class PingFunction
{
    [Function("Ping")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Function, "get")] HttpRequest request) => TypedResults.Text("pong");
}

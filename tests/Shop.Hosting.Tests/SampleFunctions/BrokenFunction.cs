namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class BrokenFunction
{
    public const string SecretMessage = "secret internal state 42";

    [Function("Broken")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "failures/unexpected")] HttpRequest request) =>
        throw new InvalidOperationException(SecretMessage);
}

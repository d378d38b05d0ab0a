namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class MarkItemSeenFunction
{
    [Function("MarkItemSeen")]
    public Task Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "items/{id:guid}/seen")] HttpRequest request)
    {
        request.HttpContext.Response.StatusCode = StatusCodes.Status202Accepted;
        return Task.CompletedTask;
    }
}

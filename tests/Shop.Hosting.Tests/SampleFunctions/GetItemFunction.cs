namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class GetItemFunction
{
    [Function("GetItem")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id:guid}")] HttpRequest request,
        Guid id,
        CancellationToken cancellationToken) =>
        Task.FromResult<IResult>(TypedResults.Ok(new ItemResponse(id, "sample")));
}

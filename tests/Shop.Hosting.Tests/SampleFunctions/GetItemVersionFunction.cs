namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class GetItemVersionFunction
{
    [Function("GetItemVersion")]
    public ValueTask<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "items/{id:guid}/versions/{version:long}")] HttpRequest request,
        Guid id,
        long version) =>
        ValueTask.FromResult<IResult>(TypedResults.Ok(new { id, version }));
}

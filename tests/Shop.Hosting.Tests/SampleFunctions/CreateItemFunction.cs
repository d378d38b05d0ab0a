namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class CreateItemFunction
{
    [Function("CreateItem")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "items")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var item = await request.ReadFromJsonAsync<CreateItemRequest>(cancellationToken);
        if (item is null || string.IsNullOrWhiteSpace(item.Name))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Name is required."] });
        }

        var id = Guid.NewGuid();
        return TypedResults.Created($"/items/{id}", new ItemResponse(id, item.Name));
    }

    public sealed record CreateItemRequest(string Name);
}

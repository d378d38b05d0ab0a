using System.Net.Http.Json;

namespace Shop.Hosting.Tests;

public sealed class DevelopmentHostHttpTests(DevelopmentHostFixture fixture) : IClassFixture<DevelopmentHostFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Http_function_is_served_on_its_attribute_route()
    {
        var id = Guid.NewGuid();

        var response = await Client.GetAsync($"/items/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = await response.Content.ReadFromJsonAsync<ItemResponse>();
        Assert.Equal(new ItemResponse(id, "sample"), item);
    }

    [Fact]
    public async Task Route_values_of_several_types_are_bound_and_value_task_results_are_executed()
    {
        var id = Guid.NewGuid();

        var response = await Client.GetAsync($"/items/{id}/versions/9000000000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(id, body.RootElement.GetProperty("id").GetGuid());
        Assert.Equal(9_000_000_000L, body.RootElement.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Post_function_reads_its_json_body()
    {
        var response = await Client.PostAsJsonAsync("/items", new CreateItemFunction.CreateItemRequest("lamp"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = await response.Content.ReadFromJsonAsync<ItemResponse>();
        Assert.Equal("lamp", item?.Name);
        Assert.Equal($"/items/{item?.Id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Function_without_a_route_is_served_under_its_name()
    {
        var response = await Client.GetAsync("/Ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Task_returning_function_keeps_the_response_it_wrote()
    {
        var response = await Client.PutAsync($"/items/{Guid.NewGuid()}/seen", content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("DELETE", "/items")]
    [InlineData("GET", "/items")]
    [InlineData("POST", "/items/3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("POST", "/Ping")]
    public async Task Other_methods_on_a_function_route_get_405(string method, string path)
    {
        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Theory]
    [InlineData("/items/not-a-guid")]
    [InlineData("/items/3f2504e0-4f89-11d3-9a0c-0305e82c3301/versions/latest")]
    [InlineData("/orders")]
    [InlineData("/api/items")]
    public async Task Paths_no_function_declares_get_404(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/failures/database")]
    [InlineData("/failures/database-retried")]
    public async Task Database_failure_becomes_a_503_problem(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var problem = await ReadProblemAsync(response);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Service Unavailable", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(ExceptionProblems.DatabaseUnavailableDetail, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(path, problem.RootElement.GetProperty("instance").GetString());
        Assert.DoesNotContain(DatabaseDownFunction.SecretMessage, problem.RootElement.GetRawText());
    }

    [Fact]
    public async Task Unexpected_failure_becomes_a_500_problem_without_details()
    {
        var response = await Client.GetAsync("/failures/unexpected");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var problem = await ReadProblemAsync(response);
        Assert.Equal(ExceptionProblems.UnexpectedDetail, problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal("/failures/unexpected", problem.RootElement.GetProperty("instance").GetString());
        var raw = problem.RootElement.GetRawText();
        Assert.DoesNotContain(BrokenFunction.SecretMessage, raw);
        Assert.DoesNotContain(nameof(InvalidOperationException), raw);
        Assert.DoesNotContain(" at ", raw);
    }

    private static async Task<JsonDocument> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("traceId").GetString()));
        return problem;
    }
}

namespace Shop.Gateway.Tests.Infrastructure;

internal static class ProblemAssert
{
    /// <summary>Checks the response is an RFC 7807 problem with every member the gateway promises, and returns it.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string instance)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(instance, problem.GetProperty("instance").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("traceId").GetString()));
        return problem;
    }

    /// <summary>Checks the response is the problem the gateway answers when a service gave no answer, naming that service.</summary>
    public static async Task IsServiceProblemAsync(HttpResponseMessage response, HttpStatusCode status, string instance, string service, string detail)
    {
        var problem = await IsProblemAsync(response, status, instance);
        Assert.Equal(service, problem.GetProperty("service").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }
}

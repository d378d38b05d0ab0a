using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Shop.Hosting.Tests;

public sealed class FunctionsMetadataParityTests : IDisposable
{
    private readonly string _metadataPath = Path.Combine(Path.GetTempPath(), $"functions-{Guid.NewGuid():N}.metadata");

    [Fact]
    public void Metadata_generated_for_the_sample_functions_matches_the_development_host()
    {
        File.WriteAllText(_metadataPath, SampleFunctionsMetadata.Json);

        FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath);
    }

    [Fact]
    public void Metadata_with_a_different_route_fails()
    {
        var failure = FailureAfter(functions => TriggerOf(functions, "GetItem")["route"] = "api/items/{id:guid}");

        Assert.Contains("'GetItem'", failure);
        Assert.Contains("api/items/{id:guid}", failure);
    }

    [Fact]
    public void Metadata_with_a_route_where_the_attribute_has_none_fails()
    {
        var failure = FailureAfter(functions => TriggerOf(functions, "Ping")["route"] = "ping/health");

        Assert.Contains("'Ping'", failure);
    }

    [Fact]
    public void Metadata_with_different_methods_fails()
    {
        var failure = FailureAfter(functions => TriggerOf(functions, "CreateItem")["methods"] = new JsonArray("post", "put"));

        Assert.Contains("'CreateItem'", failure);
    }

    [Fact]
    public void Metadata_with_a_different_schedule_fails()
    {
        var failure = FailureAfter(functions => TriggerOf(functions, "Tick")["schedule"] = "*/10 * * * * *");

        Assert.Contains("'Tick'", failure);
    }

    [Fact]
    public void Metadata_with_an_extra_function_fails()
    {
        var failure = FailureAfter(functions =>
        {
            var extra = functions.Single(f => (string?)f!["name"] == "GetItem")!.DeepClone();
            extra["name"] = "GetItemDetails";
            functions.Add(extra);
        });

        Assert.Contains("'GetItemDetails' is in functions.metadata", failure);
    }

    [Fact]
    public void Metadata_missing_a_function_fails()
    {
        var failure = FailureAfter(functions => functions.Remove(functions.Single(f => (string?)f!["name"] == "Broken")));

        Assert.Contains("'Broken' is discovered by the development host but missing", failure);
    }

    [Fact]
    public void Missing_metadata_file_fails_with_a_hint_to_build()
    {
        Assert.Contains("build the function app first", Failure());
    }

    public void Dispose() => File.Delete(_metadataPath);

    private static JsonObject TriggerOf(JsonArray functions, string name) =>
        functions.Single(f => (string?)f!["name"] == name)!["bindings"]![0]!.AsObject();

    /// <summary>The parity check's failure message once the sample functions' metadata, changed by <paramref name="change"/>, is written.</summary>
    private string FailureAfter(Action<JsonArray> change)
    {
        var functions = JsonNode.Parse(SampleFunctionsMetadata.Json)!.AsArray();
        change(functions);
        File.WriteAllText(_metadataPath, functions.ToJsonString());
        return Failure();
    }

    private string Failure() =>
        Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath)).Message;
}

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
        WriteMetadata(functions => TriggerOf(functions, "GetItem")["route"] = "api/items/{id:guid}");

        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("'GetItem'", failure.Message);
        Assert.Contains("api/items/{id:guid}", failure.Message);
    }

    [Fact]
    public void Metadata_with_a_route_where_the_attribute_has_none_fails()
    {
        WriteMetadata(functions => TriggerOf(functions, "Ping")["route"] = "ping/health");

        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("'Ping'", failure.Message);
    }

    [Fact]
    public void Metadata_with_different_methods_fails()
    {
        WriteMetadata(functions => TriggerOf(functions, "CreateItem")["methods"] = new JsonArray("post", "put"));

        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("'CreateItem'", failure.Message);
    }

    [Fact]
    public void Metadata_with_a_different_schedule_fails()
    {
        WriteMetadata(functions => TriggerOf(functions, "Tick")["schedule"] = "*/10 * * * * *");

        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("'Tick'", failure.Message);
    }

    [Fact]
    public void Metadata_with_an_extra_function_fails()
    {
        WriteMetadata(functions =>
        {
            var extra = functions.Single(f => (string?)f!["name"] == "GetItem")!.DeepClone();
            extra["name"] = "GetItemDetails";
            functions.Add(extra);
        });

        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("'GetItemDetails' is in functions.metadata", failure.Message);
    }

    [Fact]
    public void Metadata_missing_a_function_fails()
    {
        WriteMetadata(functions => functions.Remove(functions.Single(f => (string?)f!["name"] == "Broken")));

        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("'Broken' is discovered by the development host but missing", failure.Message);
    }

    [Fact]
    public void Missing_metadata_file_fails_with_a_hint_to_build()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => FunctionsMetadataParity.AssertMatches(typeof(GetItemFunction).Assembly, _metadataPath));

        Assert.Contains("build the function app first", failure.Message);
    }

    public void Dispose() => File.Delete(_metadataPath);

    private static JsonObject TriggerOf(JsonArray functions, string name) =>
        functions.Single(f => (string?)f!["name"] == name)!["bindings"]![0]!.AsObject();

    private void WriteMetadata(Action<JsonArray> change)
    {
        var functions = JsonNode.Parse(SampleFunctionsMetadata.Json)!.AsArray();
        change(functions);
        File.WriteAllText(_metadataPath, functions.ToJsonString());
    }
}

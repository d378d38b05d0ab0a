namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Reads a manifest value as text whatever its JSON type, so a check reports a mistyped value instead of throwing.</summary>
internal static class JsonNodeText
{
    /// <summary>A string as it is, a number or boolean as its JSON text, an object or array as JSON, null as null.</summary>
    public static string? Text(this JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    /// <summary>An integer, or null when the value is missing or not an integer.</summary>
    public static long? Number(this JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}

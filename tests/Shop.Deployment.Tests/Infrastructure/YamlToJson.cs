using YamlDotNet.Core;

namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// Turns a YAML document into the JSON the Kubernetes API server would receive, typing plain scalars as kubectl's YAML
/// reader does: <c>80</c> is a number, <c>"80"</c> a string, <c>true</c> and YAML 1.1's <c>yes</c>/<c>on</c> booleans.
/// That typing is what makes a schema check meaningful (an unquoted <c>value: 100</c> in a KEDA trigger is an error).
/// </summary>
internal static partial class YamlToJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"Unsupported YAML node at {node.Start}."),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? throw new FormatException($"A mapping key at {key.Start} is not a scalar.");
            if (name == "<<")
            {
                throw new FormatException($"Merge key '<<' at {key.Start}: Kubernetes manifests should spell every field out.");
            }

            if (!result.TryAdd(name, Convert(value)))
            {
                throw new FormatException($"Duplicate key '{name}' at {key.Start}.");
            }
        }

        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (Boolean().IsMatch(text))
        {
            return JsonValue.Create(text.ToLowerInvariant() is "true" or "yes" or "on");
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Boolean();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}

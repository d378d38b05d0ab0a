using System.Collections;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// The configuration keys an app reads, derived from its code: connection names (<c>const string *ConnectionName</c> or
/// <c>*ConnectionStringName</c>), whole keys (<c>const string *Key</c> holding a <c>:</c>-separated path),
/// options classes (<c>const string SectionName</c> and their properties), the sections of appsettings.json the app hands
/// to a library, and the settings its host reads.
/// </summary>
internal sealed class AppConfiguration
{
    private static readonly string[] FunctionsHostKeys =
        ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage", "AzureWebJobsScriptRoot", "AzureWebJobsDisableHomepage", "AZURE_FUNCTIONS_ENVIRONMENT", "AzureWebJobsSecretStorageType", "FUNCTIONS_SECRETS_PATH"];
    private static readonly string[] FunctionsHostSections = ["AzureFunctionsJobHost"];
    private static readonly string[] AspNetCoreHostKeys = ["ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT"];
    // Read by the OpenTelemetry SDK of every app (through AddShopTelemetry), and by the Functions host in OpenTelemetry mode.
    private static readonly string[] OpenTelemetryKeys = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"];

    private readonly DotnetApp _app;
    private readonly IConfigurationRoot _appSettings;

    public AppConfiguration(DotnetApp app)
    {
        _app = app;
        ConnectionNames = ConstantsNamed(app.Assembly, name => name.EndsWith("ConnectionName", StringComparison.Ordinal)
            || name.EndsWith("ConnectionStringName", StringComparison.Ordinal)).ToList();
        Keys = ConstantsNamed(app.Assembly, name => name.EndsWith("Key", StringComparison.Ordinal))
            .Where(value => value.Contains(':', StringComparison.Ordinal))
            .ToList();
        OptionsSections = ShopAssemblies(app.Assembly)
            .SelectMany(LoadableTypes)
            .Select(type => (Type: type, Section: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Section is { IsLiteral: true } && t.Section.FieldType == typeof(string))
            .ToDictionary(t => (string)t.Section!.GetRawConstantValue()!, t => t.Type, StringComparer.OrdinalIgnoreCase);
        _appSettings = new ConfigurationBuilder()
            .AddJsonFile(RepositoryRoot.Combine(app.ProjectDirectory, "appsettings.json"), optional: true)
            .Build();
    }

    /// <summary>Names under <c>ConnectionStrings</c> the app reads.</summary>
    public IReadOnlyList<string> ConnectionNames { get; }

    /// <summary>Whole configuration keys the app reads one by one, e.g. <c>Azure:SignalR:ConnectionString</c>.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Configuration sections bound to options classes, by section name.</summary>
    public IReadOnlyDictionary<string, Type> OptionsSections { get; }

    /// <summary>Null when the app reads <paramref name="key"/> (an environment variable name, or a <c>:</c>-separated key); else why not.</summary>
    public string? WhyUnknown(string key)
    {
        var path = key.Replace("__", ":", StringComparison.Ordinal).Split(':');
        var hostKeys = _app.Host == AppHost.AzureFunctions ? FunctionsHostKeys : AspNetCoreHostKeys;
        if (path.Length == 1 && hostKeys.Concat(OpenTelemetryKeys).Contains(path[0], StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        if (Keys.Contains(string.Join(':', path), StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        if (_app.Host == AppHost.AzureFunctions && FunctionsHostSections.Contains(path[0], StringComparer.OrdinalIgnoreCase) && path.Length > 1)
        {
            return null;
        }

        if (path[0].Equals("ConnectionStrings", StringComparison.OrdinalIgnoreCase))
        {
            return path.Length == 2 && ConnectionNames.Contains(path[1], StringComparer.OrdinalIgnoreCase)
                ? null
                : $"'{key}': {_app} reads the connection strings [{string.Join(", ", ConnectionNames)}] only.";
        }

        if (OptionsSections.TryGetValue(path[0], out var optionsType))
        {
            return WhyNotAProperty(key, optionsType, path.AsSpan(1));
        }

        if (_app.AppSettingsSections.Contains(path[0], StringComparer.OrdinalIgnoreCase))
        {
            return _appSettings[string.Join(':', path)] is not null
                ? null
                : $"'{key}' overrides no key of {_app.ProjectDirectory}/appsettings.json (check the route, cluster and destination ids).";
        }

        return $"'{key}' is not read by {_app}: not a host setting, not a connection string it reads, and '{path[0]}' is none of its sections "
            + $"[{string.Join(", ", OptionsSections.Keys.Concat(_app.AppSettingsSections))}].";
    }

    /// <summary>The <c>[Function]</c> names declared in the app assembly.</summary>
    public IReadOnlyList<string> FunctionNames() => LoadableTypes(_app.Assembly)
        .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Select(method => method.GetCustomAttribute<FunctionAttribute>()?.Name)
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string? WhyNotAProperty(string key, Type type, ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return $"'{key}' names the whole section; set one of {type.Name}'s properties instead.";
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || !property.CanWrite && !IsCollection(property.PropertyType))
        {
            return $"'{key}': {type.Name} has no settable property '{path[0]}'.";
        }

        var rest = path[1..];
        if (IsSimple(property.PropertyType))
        {
            return rest.IsEmpty ? null : $"'{key}': {type.Name}.{property.Name} is a single value.";
        }

        if (IsCollection(property.PropertyType))
        {
            return rest.Length == 1 && int.TryParse(rest[0], out _)
                ? null
                : $"'{key}': {type.Name}.{property.Name} is a list; set it as {property.Name}__0, {property.Name}__1, ….";
        }

        return WhyNotAProperty(key, property.PropertyType, rest);
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan)
            || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(Guid) || t == typeof(Uri);
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static IEnumerable<string> ConstantsNamed(Assembly assembly, Func<string, bool> isWanted) => LoadableTypes(assembly)
        .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(field => field.IsLiteral && field.FieldType == typeof(string) && isWanted(field.Name))
        .Select(field => (string)field.GetRawConstantValue()!)
        .Distinct(StringComparer.Ordinal);

    // The app and the building blocks it references: options classes may live in either.
    private static IEnumerable<Assembly> ShopAssemblies(Assembly app)
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([app]);
        while (pending.TryPop(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Shop.", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }

        return found.Values;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}

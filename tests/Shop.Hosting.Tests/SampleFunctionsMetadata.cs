namespace Shop.Hosting.Tests;

/// <summary>
/// functions.metadata for the sample functions, as Microsoft.Azure.Functions.Worker.Sdk 2.1.0 generated it when they were
/// compiled into a function app (only scriptFile renamed); this project cannot reference the SDK without becoming a function app.
/// The file is SampleFunctions/functions-metadata.json, embedded in this assembly.
/// </summary>
internal static class SampleFunctionsMetadata
{
    private const string ResourceName = "SampleFunctions/functions-metadata.json";

    public static string Json { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(SampleFunctionsMetadata).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(SampleFunctionsMetadata).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

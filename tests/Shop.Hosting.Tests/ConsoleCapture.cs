namespace Shop.Hosting.Tests;

/// <summary>
/// Redirects <see cref="Console.Out"/> while a test runs. The console logger takes the writer when it is created, so a
/// host must be built after <see cref="Start"/>. Tests using it share one collection: the console is process-wide.
/// </summary>
public sealed class ConsoleCapture : IDisposable
{
    public const string Name = "Console capture";

    private readonly TextWriter _original;
    private readonly StringBuilder _buffer = new();
    private readonly TextWriter _writer;

    private ConsoleCapture()
    {
        _original = Console.Out;
        _writer = TextWriter.Synchronized(new StringWriter(_buffer));
        Console.SetOut(_writer);
    }

    public static ConsoleCapture Start() => new();

    public IReadOnlyList<string> Lines()
    {
        lock (_writer)
        {
            return _buffer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        }
    }

    public void Dispose() => Console.SetOut(_original);
}

[CollectionDefinition(ConsoleCapture.Name, DisableParallelization = true)]
public sealed class ConsoleCaptureCollection;

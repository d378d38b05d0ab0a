using Microsoft.Extensions.Logging;

namespace Shop.UnitTests.Messaging;

/// <summary>A logger that keeps every record it is given, at every level, with its text, structured properties and exception.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LoggedRecord> _entries = new();

    public IReadOnlyList<LoggedRecord> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> values
            ? values.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
            : new Dictionary<string, object?>();
        _entries.Enqueue(new LoggedRecord(logLevel, formatter(state, exception), properties, exception));
    }
}

/// <param name="Properties">The record's structured properties (its template's placeholders), as logged.</param>
internal sealed record LoggedRecord(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception)
{
    /// <summary>The property <paramref name="name"/> as text (invariant culture), or null when the record has none.</summary>
    public string? Property(string name) =>
        Properties.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
}

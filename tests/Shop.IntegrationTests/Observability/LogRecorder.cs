namespace Shop.IntegrationTests.Observability;

/// <summary>
/// A logger provider that keeps every record of the categories it is given, with its structured properties and the
/// scopes it was written in. <see cref="AddTo"/> registers it in an app started by the test, letting its categories
/// through from <see cref="LogLevel.Debug"/> whatever the app's configured levels.
/// </summary>
public sealed class LogRecorder : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    /// <summary>Registers this provider in <paramref name="services"/>, recording <paramref name="category"/> (a prefix) from Debug up.</summary>
    public void AddTo(IServiceCollection services, string category)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Add(new LoggerFilterRule(typeof(LogRecorder).FullName, category, LogLevel.Debug, filter: null)));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => recorder._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<IReadOnlyDictionary<string, object?>>();
            recorder._scopes?.ForEachScope((scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    list.Add(pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value));
                }
            }, scopes);
            var properties = state is IEnumerable<KeyValuePair<string, object?>> values
                ? values.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
                : new Dictionary<string, object?>();
            recorder._entries.Enqueue(new RecordedLog(category, logLevel, formatter(state, exception), properties, scopes, exception));
        }
    }
}

/// <param name="Properties">The record's structured properties (its template's placeholders), as logged.</param>
/// <param name="Scopes">The key/value scopes the record was written in, outermost first.</param>
public sealed record RecordedLog(
    string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Scopes, Exception? Exception)
{
    /// <summary>The property <paramref name="name"/> as text (invariant culture), or null when the record has none.</summary>
    public string? Property(string name) =>
        Properties.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

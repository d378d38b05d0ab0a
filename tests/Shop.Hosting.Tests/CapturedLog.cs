namespace Shop.Hosting.Tests;

public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

namespace Shop.Persistence;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>Apply pending EF Core migrations when the app starts (development and tests; production runs them as a step).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>How long start-up waits for the database to accept connections before it gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

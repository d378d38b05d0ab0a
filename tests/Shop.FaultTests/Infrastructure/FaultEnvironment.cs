using System.Reflection;

namespace Shop.FaultTests.Infrastructure;

/// <summary>
/// Where the suite's PostgreSQL and RabbitMQ run and how it stops and starts them. The defaults are the machine's
/// own servers as scripts/infra.sh starts them; the SHOP_FAULT_* variables point the suite at a private pair instead
/// (see tests/Shop.FaultTests/isolated-infra.sh), so it can run beside other test runs.
/// </summary>
public static class FaultEnvironment
{
    public static string PostgresAdmin { get; } =
        Setting("SHOP_FAULT_POSTGRES", "Host=127.0.0.1;Port=5432;Username=shop;Password=shop;Database=postgres");

    // The "main" cluster of whichever major version the distribution installed (scripts/infra.sh creates it).
    private const string MainCluster = "$(pg_lsclusters -h | awk '$2 == \"main\" { print $1; exit }') main";

    public static string PostgresStop { get; } = Setting("SHOP_FAULT_POSTGRES_STOP", $"pg_ctlcluster {MainCluster} stop -m fast");
    public static string PostgresStart { get; } = Setting("SHOP_FAULT_POSTGRES_START", $"pg_ctlcluster {MainCluster} start");

    public static string RabbitMqHost { get; } = Setting("SHOP_FAULT_RABBITMQ_HOST", "127.0.0.1");
    public static int RabbitMqPort { get; } = int.Parse(Setting("SHOP_FAULT_RABBITMQ_PORT", "5672"), System.Globalization.CultureInfo.InvariantCulture);
    public static int RabbitMqManagementPort { get; } =
        int.Parse(Setting("SHOP_FAULT_RABBITMQ_MANAGEMENT_PORT", "15672"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitMqStop { get; } = Setting("SHOP_FAULT_RABBITMQ_STOP", "service rabbitmq-server stop");
    public static string RabbitMqStart { get; } = Setting("SHOP_FAULT_RABBITMQ_START", "service rabbitmq-server start");
    public static string RabbitMqCheck { get; } = Setting("SHOP_FAULT_RABBITMQ_CHECK", "rabbitmq-diagnostics -q check_port_connectivity");

    public static Uri RabbitMqManagement => new($"http://{RabbitMqHost}:{RabbitMqManagementPort}");

    public static string RabbitMqUri(string vhost) => $"amqp://guest:guest@{RabbitMqHost}:{RabbitMqPort}/{Uri.EscapeDataString(vhost)}";

    /// <summary>The repository root: the folder that holds Shop.sln, above this assembly's output.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Debug or Release: the apps run from the build output of the same configuration as this assembly.</summary>
    public static string Configuration { get; } =
        typeof(FaultEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string BuildOutput(string projectFolder, string assembly) =>
        Path.Combine(RepositoryRoot, projectFolder, "bin", Configuration, "net10.0", assembly);

    public static string Artifacts => Path.Combine(RepositoryRoot, "artifacts");

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}

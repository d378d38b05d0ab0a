using Shop.LoadTest;
using Shop.LoadTest.Load;
using Shop.LoadTest.Reporting;

namespace Shop.IntegrationTests.Load;

/// <summary>
/// The load tool's runner against the in-process system for 10 s at 50 orders/s. It asserts the audit, never the
/// speed: every order final, the money adding up per user, no unpublished outbox row, no dead letter.
/// </summary>
public sealed class LoadToolAuditTests(ShopSystem system, ITestOutputHelper output) : ShopTests
{
    [Fact]
    public async Task Ten_seconds_at_fifty_orders_a_second_leave_a_clean_audit()
    {
        var options = Options(system.Gateway.BaseAddress, "shop-loadtest", rate: 50, duration: TimeSpan.FromSeconds(10), warmUp: TimeSpan.FromSeconds(2), users: 20);

        var run = await new LoadRunner(options, output.WriteLine).RunAsync(CancellationToken.None);
        foreach (var line in ConsoleSummary.Of(run))
        {
            output.WriteLine(line);
        }
        var written = await ResultsFile.WriteAsync(options.OutputDirectory(), "run", run, HtmlReport.ForRun(run, []), CancellationToken.None);

        Assert.True(run.Audit.Clean, string.Join(Environment.NewLine, run.Audit.Violations));
        Assert.Empty(run.ErrorsByKind);
        // Every order answered: taken, or refused at capacity (503 + Retry-After) when the machine is too busy to keep up.
        Assert.Equal(run.Sent, run.Accepted + run.Refused);
        Assert.True(run.Audit.OrdersByStatus.GetValueOrDefault("PAID") > 0, "some orders are paid");
        Assert.True(run.Audit.OrdersByStatus.GetValueOrDefault("FAILED") > 0, "some orders fail for insufficient funds");
        Assert.True(run.SignalRUsed, run.SignalRProblem);
        Assert.Equal(0, run.MissedPushes);
        Assert.True(File.Exists(written + ".html"));
    }

    [Fact]
    public async Task In_Jwt_mode_the_tool_signs_its_own_tokens_and_the_audit_stays_clean()
    {
        var secured = await system.SecuredAsync();
        var options = Options(secured.Gateway.BaseAddress, "shop-loadtest-jwt", rate: 20, duration: TimeSpan.FromSeconds(3), warmUp: TimeSpan.FromSeconds(1), users: 5);
        options.SigningKey = secured.SigningKey;

        var run = await new LoadRunner(options, output.WriteLine).RunAsync(CancellationToken.None);

        Assert.True(run.Audit.Clean, string.Join(Environment.NewLine, run.Audit.Violations));
        Assert.Empty(run.ErrorsByKind);
        Assert.Equal(run.Sent, run.Accepted);
        Assert.True(run.SignalRUsed, run.SignalRProblem);
        Assert.Equal(0, run.MissedPushes);
    }

    /// <summary>A run through <paramref name="gateway"/> that audits this system's databases and broker, its results in a temporary folder.</summary>
    private LoadTestOptions Options(Uri gateway, string name, double rate, TimeSpan duration, TimeSpan warmUp, int users) => new()
    {
        Gateway = gateway,
        OrdersDb = system.OrdersConnectionString,
        PaymentsDb = system.PaymentsConnectionString,
        RabbitMq = system.BrokerUri,
        Rate = rate,
        Duration = duration,
        WarmUp = warmUp,
        Users = users,
        DrainTimeout = TimeSpan.FromSeconds(60),
        SystemPorts = [],
        Output = Path.Combine(Path.GetTempPath(), $"{name}-{system.RunId}"),
    };
}

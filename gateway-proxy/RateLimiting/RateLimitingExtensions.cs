using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Shop.Gateway.Auth;
using Shop.Gateway.Problems;

namespace Shop.Gateway.RateLimiting;

/// <summary>ASP.NET Core's rate limiter in front of the apps and the hub: 429 problem+json with Retry-After when a budget is spent.</summary>
public static class RateLimitingExtensions
{
    public static IHostApplicationBuilder AddShopRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>()
            .BindConfiguration(RateLimitingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PerUser.PermitLimit > 0 && o.PerAddress.PermitLimit > 0 && o.PerUser.Window > TimeSpan.Zero && o.PerAddress.Window > TimeSpan.Zero,
                "RateLimiting:PerUser and RateLimiting:PerAddress need a PermitLimit of at least 1 and a positive Window.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitingOptions>, IRequestIdentity>((limiter, options, identity) =>
            {
                var budgets = options.Value;
                if (!budgets.Enabled)
                {
                    return;
                }
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                    PartitionedRateLimiter.Create<HttpContext, string>(context => ByAddress(context, budgets.PerAddress)),
                    PartitionedRateLimiter.Create<HttpContext, string>(context => ByUser(context, identity, budgets.PerUser)));
                limiter.OnRejected = (rejection, cancellationToken) => RejectAsync(rejection, budgets);
            });
        return builder;
    }

    /// <summary>After <see cref="AuthExtensions.UseShopIdentity"/>: the per-user budget needs the request's user.</summary>
    public static WebApplication UseShopRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    // Health probes are never limited: an orchestrator's checks must not fail because a client is busy.
    private static bool IsExempt(HttpContext context) => context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    // The connection's address, never X-Forwarded-For: a client could write any address there.
    private static RateLimitPartition<string> ByAddress(HttpContext context, WindowBudget budget) => IsExempt(context)
        ? RateLimitPartition.GetNoLimiter(string.Empty)
        : RateLimitPartition.GetFixedWindowLimiter("address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => Window(budget));

    private static RateLimitPartition<string> ByUser(HttpContext context, IRequestIdentity identity, WindowBudget budget) =>
        !IsExempt(context) && identity.Resolved(context) is { Succeeded: true } user
            ? RateLimitPartition.GetFixedWindowLimiter("user:" + user.UserId.ToString(CultureInfo.InvariantCulture), _ => Window(budget))
            : RateLimitPartition.GetNoLimiter(string.Empty);

    private static FixedWindowRateLimiterOptions Window(WindowBudget budget) => new()
    {
        PermitLimit = budget.PermitLimit,
        Window = budget.Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(OnRejectedContext rejection, RateLimitingOptions budgets)
    {
        var context = rejection.HttpContext;
        var retryAfter = rejection.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : budgets.PerUser.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitingExtensions).FullName!);
        var user = context.RequestServices.GetRequiredService<IRequestIdentity>().Resolved(context) is { Succeeded: true } known ? known.UserId : (long?)null;
        RateLimitingLog.Rejected(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Connection.RemoteIpAddress?.ToString(), user, seconds);
        await GatewayProblem.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"Too many requests: the gateway allows {budgets.PerUser} per user and {budgets.PerAddress} per client address. Retry after {seconds} s.");
    }
}

namespace Shop.Gateway.Tests.Infrastructure;

/// <summary>A real Kestrel app a test started on a free loopback port; disposing stops it.</summary>
internal class LoopbackApp(WebApplication app) : IAsyncDisposable
{
    /// <summary>Where the app listens (its first address), once started.</summary>
    public Uri Address => new(app.Urls.First());

    /// <summary>An app with Kestrel and routing only, to listen on a free loopback port: the test maps what it serves.</summary>
    public static WebApplication CreateEmpty()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        return app;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

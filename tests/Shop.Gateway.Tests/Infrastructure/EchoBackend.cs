namespace Shop.Gateway.Tests.Infrastructure;

/// <summary>A real Kestrel app on a free loopback port standing in for Orders or Payments: it answers every request with what it received.</summary>
internal sealed class EchoBackend(WebApplication started) : LoopbackApp(started)
{
    /// <summary>A request header the backend answers with as its Location header.</summary>
    public const string LocationHeader = "X-Echo-Location";

    public static async Task<EchoBackend> StartAsync(string service, TimeSpan responseDelay = default)
    {
        var app = CreateEmpty();
        app.MapGet("/health", () => Results.Json(new { status = "Healthy" }));
        app.MapFallback("{**path}", async (HttpContext context) =>
        {
            await Task.Delay(responseDelay, context.RequestAborted);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString());
            if (context.Request.Headers.TryGetValue(LocationHeader, out var location))
            {
                context.Response.Headers.Location = location; // as a service answering 201 Created would
            }
            return Results.Json(new EchoedRequest(
                service,
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Request.QueryString.Value ?? "",
                headers,
                body));
        });

        await app.StartAsync();
        return new EchoBackend(app);
    }
}

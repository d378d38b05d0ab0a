namespace Shop.Hosting.Tests.SampleFunctions;

public sealed class DatabaseDownFunction
{
    public const string SecretMessage = "Host=db-secret-host;Password=hunter2";

    [Function("DatabaseDown")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "failures/database")] HttpRequest request,
        CancellationToken cancellationToken) =>
        throw new NpgsqlException(SecretMessage, new SocketException((int)SocketError.ConnectionRefused));

    /// <summary>What EF's retrying execution strategy throws once it gives up.</summary>
    [Function("DatabaseDownAfterRetries")]
    public Task<IResult> RunWrapped(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "failures/database-retried")] HttpRequest request,
        CancellationToken cancellationToken) =>
        throw new InvalidOperationException(
            "An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException(SecretMessage, new TimeoutException()));
}

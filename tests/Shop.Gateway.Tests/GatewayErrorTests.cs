namespace Shop.Gateway.Tests;

public sealed class GatewayErrorTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int OverTheLimit = 64 * 1024 + 1;

    [Theory]
    [InlineData("/nowhere")]
    [InlineData("/api/orders")]
    public async Task Unknown_path_answers_404_problem(string path)
    {
        using var response = await gateway.Client.GetAsync(path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, path);
    }

    [Fact]
    public async Task Body_over_the_limit_answers_413_problem()
    {
        using var content = new ByteArrayContent(new byte[OverTheLimit]);

        using var response = await gateway.Client.PostAsync("/orders/orders", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "/orders/orders");
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_answers_413_problem()
    {
        // No Content-Length: the limit is only hit while the body is streamed to the backend.
        using var content = new StreamContent(new ChunkedOnlyStream(Encoding.UTF8.GetBytes(new string('x', OverTheLimit))));

        using var response = await gateway.Client.PostAsync("/payments/account/topup", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "/payments/account/topup");
    }

    /// <summary>A readable stream that hides its length so HttpClient sends it chunked.</summary>
    private sealed class ChunkedOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

using Shop.Api;

namespace Shop.UnitTests.Api;

public sealed class ApiRequestTests
{
    [Theory]
    [InlineData("1", true, 1L)]
    [InlineData("9223372036854775807", true, long.MaxValue)]
    [InlineData("0", false, 0L)]
    [InlineData("-1", false, 0L)]
    [InlineData("+1", false, 0L)]
    [InlineData(" 1", false, 0L)]
    [InlineData("1e3", false, 0L)]
    [InlineData("9223372036854775808", false, 0L)]
    [InlineData("", false, 0L)]
    public void User_id_is_one_positive_integer(string header, bool valid, long expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[ApiHeaders.UserId] = header;

        var parsed = ApiRequest.TryGetUserId(context.Request, out var userId, out var problem);

        Assert.Equal(valid, parsed);
        Assert.Equal(expected, userId);
        Assert.Equal(valid, problem is null);
    }

    [Theory]
    [InlineData("{\"amount\":500}", 500L, null)]
    [InlineData("{\"Amount\":7,\"note\":\"extra fields are ignored\"}", 7L, null)]
    [InlineData("{\"amount\":1000000000}", 1_000_000_000L, null)]
    [InlineData("{\"amount\":1000000001}", 0L, 422)]
    [InlineData("{\"amount\":0}", 0L, 422)]
    [InlineData("{\"amount\":1.5}", 0L, 422)]
    [InlineData("{\"amount\":1.0}", 0L, 422)]
    [InlineData("{\"amount\":\"abc\"}", 0L, 422)]
    [InlineData("{}", 0L, 422)]
    [InlineData("{\"amount\":", 0L, 400)]
    [InlineData("42", 0L, 400)]
    [InlineData("", 0L, 400)]
    public async Task Amount_is_an_integer_from_1_to_the_maximum(string body, long expected, int? status)
    {
        var request = Request(body, "application/json");

        var (amount, problem) = await ApiRequest.ReadAmountAsync(request, CancellationToken.None);

        Assert.Equal(expected, amount);
        Assert.Equal(status, await StatusOfAsync(problem));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", null)]
    [InlineData("application/problem+json", null)]
    [InlineData("text/plain", 415)]
    [InlineData("application/json; charset=latin1", 415)]
    [InlineData(null, 415)]
    public async Task Body_must_be_declared_as_utf8_json(string? contentType, int? status)
    {
        var (_, problem) = await ApiRequest.ReadAmountAsync(Request("{\"amount\":1}", contentType), CancellationToken.None);

        Assert.Equal(status, await StatusOfAsync(problem));
    }

    [Fact]
    public async Task Body_over_the_limit_is_refused_without_reading_it_all()
    {
        var request = Request("{\"amount\":1,\"pad\":\"" + new string('x', ApiLimits.MaxBodyBytes) + "\"}", "application/json");
        request.ContentLength = null; // chunked: the limit is enforced while reading

        var (_, problem) = await ApiRequest.ReadAmountAsync(request, CancellationToken.None);

        Assert.Equal(413, await StatusOfAsync(problem));
    }

    [Theory]
    [InlineData("order-1", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("naïve", false)]
    public void Idempotency_key_is_visible_ascii(string key, bool valid)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[ApiHeaders.IdempotencyKey] = key;

        Assert.Equal(valid, ApiRequest.TryGetIdempotencyKey(context.Request, out var parsed, out _));
        Assert.Equal(valid ? key : null, parsed);
    }

    private static HttpRequest Request(string body, string? contentType)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        return context.Request;
    }

    private static async Task<int?> StatusOfAsync(IResult? result)
    {
        if (result is null)
        {
            return null;
        }
        var context = new DefaultHttpContext { RequestServices = Services.Instance };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    private static class Services
    {
        public static readonly IServiceProvider Instance = new ServiceCollection()
            .AddLogging().AddProblemDetails().BuildServiceProvider();
    }
}

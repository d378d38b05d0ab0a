using Microsoft.Extensions.Time.Testing;
using Shop.Api.Admission;

namespace Shop.UnitTests.Api;

public sealed class AdmissionControlTests
{
    private readonly Mock<IBacklogGauge> _backlog = new();
    private readonly AdmissionOptions _options = new() { MaxConcurrentWrites = 2, MaxBacklog = 10, RetryAfter = TimeSpan.FromSeconds(2) };
    private readonly FakeTimeProvider _clock = new();

    public AdmissionControlTests() => _backlog.SetupGet(g => g.Describes).Returns("orders awaiting payment");

    private AdmissionControl Create() =>
        new(Microsoft.Extensions.Options.Options.Create(_options), _backlog.Object, _clock, NullLogger<AdmissionControl>.Instance);

    [Fact]
    public void Writes_below_both_bounds_are_admitted()
    {
        _backlog.SetupGet(g => g.Current).Returns(9);

        using var ticket = Create().TryEnter();

        Assert.Null(ticket.Refusal);
    }

    [Fact]
    public async Task A_backlog_at_the_bound_refuses_with_503_problem_and_Retry_After()
    {
        _backlog.SetupGet(g => g.Current).Returns(10);

        using var ticket = Create().TryEnter();

        var response = await ExecuteAsync(ticket.Refusal!);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, response.StatusCode);
        Assert.Equal("2", response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", response.ContentType);
        var detail = JsonDocument.Parse(response.Body).RootElement.GetProperty("detail").GetString();
        Assert.Contains("10 orders awaiting payment", detail);
    }

    [Fact]
    public async Task Under_sustained_overload_the_bound_shrinks_to_what_the_measured_throughput_finishes_in_MaxWait()
    {
        _options.MaxBacklog = 100;
        _options.MaxWait = TimeSpan.FromMilliseconds(200);
        _options.OverloadAfter = TimeSpan.FromSeconds(1);
        // 50 waiting at 100 finished a second: half a second of work, more than MaxWait.
        _backlog.SetupGet(g => g.Current).Returns(50);
        _backlog.SetupGet(g => g.Throughput).Returns(100);
        var admission = Create();

        using (var first = admission.TryEnter())
        {
            Assert.Null(first.Refusal);
        }
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        using (var second = admission.TryEnter())
        {
            Assert.Null(second.Refusal);
        }
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        using var third = admission.TryEnter();

        Assert.NotNull(third.Refusal);
        var detail = JsonDocument.Parse((await ExecuteAsync(third.Refusal)).Body).RootElement.GetProperty("detail").GetString();
        Assert.Contains("50 orders awaiting payment; it has finished up to 100 a second lately", detail);

        // Back under the bound of 100 × 0.2 = 20: admitted while the shop is still counted overloaded.
        _backlog.SetupGet(g => g.Current).Returns(19);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        using var fourth = admission.TryEnter();
        Assert.Null(fourth.Refusal);
    }

    [Fact]
    public void An_unknown_backlog_refuses_nothing()
    {
        _backlog.SetupGet(g => g.Current).Returns((long?)null);

        using var ticket = Create().TryEnter();

        Assert.Null(ticket.Refusal);
    }

    [Fact]
    public void One_write_more_than_the_concurrency_bound_is_refused_until_one_finishes()
    {
        _backlog.SetupGet(g => g.Current).Returns(0);
        var admission = Create();

        var first = admission.TryEnter();
        using var second = admission.TryEnter();
        using (var third = admission.TryEnter())
        {
            Assert.NotNull(third.Refusal);
        }
        first.Dispose();
        using var fourth = admission.TryEnter();

        Assert.Null(second.Refusal);
        Assert.Null(fourth.Refusal);
    }

    [Fact]
    public void Refused_writes_do_not_hold_a_place()
    {
        _backlog.SetupGet(g => g.Current).Returns(0);
        var admission = Create();
        using var first = admission.TryEnter();
        using var second = admission.TryEnter();

        for (var i = 0; i < 5; i++)
        {
            using var refused = admission.TryEnter();
            Assert.NotNull(refused.Refusal);
        }
        second.Dispose();

        using var next = admission.TryEnter();
        Assert.Null(next.Refusal);
    }

    [Fact]
    public void Switched_off_it_admits_everything()
    {
        _options.Enabled = false;
        _backlog.SetupGet(g => g.Current).Returns(1000);
        var admission = Create();

        var tickets = Enumerable.Range(0, 5).Select(_ => admission.TryEnter()).ToList();

        Assert.All(tickets, ticket => Assert.Null(ticket.Refusal));
    }

    private static async Task<(int StatusCode, IHeaderDictionary Headers, string? ContentType, string Body)> ExecuteAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, context.Response.Headers, context.Response.ContentType,
            await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}

using System.Data.Common;

namespace Shop.Hosting.Tests;

public sealed class ExceptionProblemsTests
{
    public static TheoryData<Exception> DatabaseUnavailable => new()
    {
        new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new TimeoutException("pool exhausted"),
        new TransientDbException(),
        new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow),
        new InvalidOperationException("retries exhausted", new Exception("update failed", new NpgsqlException("broken pipe"))),
    };

    [Theory]
    [MemberData(nameof(DatabaseUnavailable))]
    public void Database_unavailability_maps_to_503(Exception exception)
    {
        var problem = ExceptionProblems.ToProblem(exception, Request("/orders"));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.Status);
        Assert.Equal("Service Unavailable", problem.Title);
        Assert.Equal(ExceptionProblems.DatabaseUnavailableDetail, problem.Detail);
    }

    [Fact]
    public void Postgres_error_that_is_not_transient_maps_to_500()
    {
        var exception = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);

        var problem = ExceptionProblems.ToProblem(exception, Request("/orders"));

        Assert.Equal(StatusCodes.Status500InternalServerError, problem.Status);
    }

    [Fact]
    public void Unexpected_exception_maps_to_500_without_its_message()
    {
        var problem = ExceptionProblems.ToProblem(new InvalidOperationException("secret"), Request("/orders"));

        Assert.Equal(StatusCodes.Status500InternalServerError, problem.Status);
        Assert.Equal(ExceptionProblems.UnexpectedDetail, problem.Detail);
    }

    [Fact]
    public void Too_large_body_keeps_its_413_status()
    {
        var exception = new BadHttpRequestException("Request body too large. The max request body size is 30000000 bytes.", 413);

        var problem = ExceptionProblems.ToProblem(exception, Request("/orders"));

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, problem.Status);
        Assert.Equal("The request body is too large.", problem.Detail);
    }

    [Fact]
    public void Cancellation_of_an_aborted_request_maps_to_499()
    {
        var context = Request("/orders");
        context.RequestAborted = new CancellationToken(canceled: true);

        var problem = ExceptionProblems.ToProblem(new OperationCanceledException(), context);

        Assert.Equal(ExceptionProblems.ClientClosedRequest, problem.Status);
    }

    [Fact]
    public void Cancellation_while_the_client_is_still_there_maps_to_500()
    {
        var problem = ExceptionProblems.ToProblem(new OperationCanceledException(), Request("/orders"));

        Assert.Equal(StatusCodes.Status500InternalServerError, problem.Status);
    }

    [Fact]
    public void Problem_carries_the_request_path_and_trace_id()
    {
        var context = Request("/orders/42");
        context.TraceIdentifier = "trace-1";

        var problem = ExceptionProblems.ToProblem(new InvalidOperationException(), context);

        Assert.Equal("/orders/42", problem.Instance);
        Assert.Equal("trace-1", problem.Extensions["traceId"]);
    }

    private static DefaultHttpContext Request(string path) => new() { Request = { Path = path } };

    private sealed class TransientDbException : DbException
    {
        public override bool IsTransient => true;
    }
}

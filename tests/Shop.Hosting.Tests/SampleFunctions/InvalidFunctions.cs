namespace Shop.Hosting.Tests.SampleFunctions;

/// <summary>Signatures the development host must refuse at startup; nested, so assembly discovery (like the SDK) skips them.</summary>
public static class InvalidFunctions
{
    public sealed class TakesFunctionContext
    {
        [Function("TakesFunctionContext")]
        public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "context")] HttpRequest request, FunctionContext context) =>
            TypedResults.Ok();
    }

    public sealed class ReturnsString
    {
        [Function("ReturnsString")]
        public string Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "text")] HttpRequest request) => "text";
    }

    public sealed class BindsUnknownParameter
    {
        [Function("BindsUnknownParameter")]
        public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "things/{id:guid}")] HttpRequest request, Guid thingId) =>
            TypedResults.Ok();
    }

    public sealed class TimerTakesFunctionContext
    {
        [Function("TimerTakesFunctionContext")]
        public Task Run([TimerTrigger("*/5 * * * * *")] TimerInfo timer, FunctionContext context) => Task.CompletedTask;
    }

    public sealed class TimerWithBadSchedule
    {
        [Function("TimerWithBadSchedule")]
        public Task Run([TimerTrigger("every five minutes")] TimerInfo timer) => Task.CompletedTask;
    }
}

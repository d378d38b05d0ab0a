using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Hosting;

/// <summary>A timer function run by the development host: its schedule, binders and invoker, checked once at startup.</summary>
internal sealed class TimerFunction
{
    private readonly FunctionDescriptor _function;
    private readonly Func<TimerInfo, CancellationToken, object?>[] _binders;
    private readonly FunctionMethodInvoker _invoker;

    private TimerFunction(FunctionDescriptor function, TimerFunctionTrigger trigger, TimerSchedule schedule,
        Func<TimerInfo, CancellationToken, object?>[] binders, FunctionMethodInvoker invoker)
    {
        _function = function;
        Trigger = trigger;
        Schedule = schedule;
        _binders = binders;
        _invoker = invoker;
    }

    public string Name => _function.Name;

    public TimerFunctionTrigger Trigger { get; }

    public TimerSchedule Schedule { get; }

    public static TimerFunction Create(FunctionDescriptor function, TimerFunctionTrigger trigger)
    {
        var schedule = TimerSchedule.Parse(function.Name, trigger.Schedule);
        var binders = function.Method.GetParameters().Select(parameter => parameter.ParameterType switch
        {
            var type when type == typeof(TimerInfo) => static (timer, _) => timer,
            var type when type == typeof(CancellationToken) => static (_, stoppingToken) => stoppingToken,
            var type => (Func<TimerInfo, CancellationToken, object?>)(type == typeof(FunctionContext)
                ? throw new NotSupportedException(
                    $"Timer function '{function.Name}' ({function.EntryPoint}) takes a FunctionContext, which exists only on the Functions host; take what you need by constructor injection.")
                : throw new NotSupportedException(
                    $"Timer function '{function.Name}' ({function.EntryPoint}): parameter '{type}' cannot be bound by the development host; only TimerInfo and CancellationToken are supported.")),
        }).ToArray();

        var invoker = FunctionMethodInvoker.Create(function.Method);
        if (invoker.ResultType != typeof(void))
        {
            throw new NotSupportedException(
                $"Timer function '{function.Name}' returns {function.Method.ReturnType}; the development host supports void, Task and ValueTask.");
        }

        return new TimerFunction(function, trigger, schedule, binders, invoker);
    }

    public async Task InvokeAsync(IServiceProvider services, TimerInfo timer, CancellationToken stoppingToken)
    {
        var instance = _function.Method.IsStatic ? null : services.GetRequiredService(_function.Type);
        var arguments = Array.ConvertAll(_binders, bind => bind(timer, stoppingToken));
        await _invoker.InvokeAsync(instance, arguments);
    }
}

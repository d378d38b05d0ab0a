using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Hosting;

/// <summary>An HTTP function served by the development host: its parameter binders and invoker, checked once at startup.</summary>
internal sealed class HttpFunctionEndpoint
{
    private readonly FunctionDescriptor _function;
    private readonly HttpFunctionTrigger _trigger;
    private readonly Func<HttpContext, object?>[] _binders;
    private readonly FunctionMethodInvoker _invoker;

    private HttpFunctionEndpoint(FunctionDescriptor function, HttpFunctionTrigger trigger, Func<HttpContext, object?>[] binders, FunctionMethodInvoker invoker)
    {
        _function = function;
        _trigger = trigger;
        _binders = binders;
        _invoker = invoker;
    }

    public static HttpFunctionEndpoint Create(FunctionDescriptor function, HttpFunctionTrigger trigger)
    {
        RoutePattern pattern;
        try
        {
            pattern = RoutePatternFactory.Parse(trigger.Route);
        }
        catch (RoutePatternException ex)
        {
            throw new InvalidOperationException($"Function '{function.Name}' has an invalid route '{trigger.Route}'.", ex);
        }

        var routeParameters = pattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var binders = function.Method.GetParameters().Select(p => CreateBinder(function, p, routeParameters)).ToArray();

        var invoker = FunctionMethodInvoker.Create(function.Method);
        var returnsResult = typeof(IResult).IsAssignableFrom(invoker.ResultType);
        var returnsTask = invoker.ResultType == typeof(void) && function.Method.ReturnType != typeof(void);
        if (!returnsResult && !returnsTask)
        {
            throw new NotSupportedException(
                $"Function '{function.Name}' returns {function.Method.ReturnType}; the development host supports IResult, Task<IResult>, ValueTask<IResult>, Task and ValueTask.");
        }

        return new HttpFunctionEndpoint(function, trigger, binders, invoker);
    }

    public string Name => _function.Name;

    public string Route => _trigger.Route;

    public string MethodsText => _trigger.Methods.Count == 0 ? "*" : string.Join(',', _trigger.Methods).ToUpperInvariant();

    /// <summary>True for every level above Anonymous: the Functions host asks those for a key.</summary>
    public bool NeedsKey => _trigger.AuthLevel != AuthorizationLevel.Anonymous;

    /// <param name="keys">The configured function key, or null to serve the function to anyone.</param>
    public void Map(IEndpointRouteBuilder endpoints, FunctionKeyCheck? keys)
    {
        RequestDelegate handler = keys is not null && NeedsKey
            ? context => keys.Allows(context.Request) ? InvokeAsync(context) : FunctionKeyCheck.Refusal(context).ExecuteAsync(context)
            : InvokeAsync;
        var builder = _trigger.Methods.Count == 0
            ? endpoints.Map(_trigger.Route, handler)
            : endpoints.MapMethods(_trigger.Route, _trigger.Methods.Select(m => m.ToUpperInvariant()), handler);
        builder.WithDisplayName(_function.Name).WithName(_function.Name);
    }

    private async Task InvokeAsync(HttpContext context)
    {
        var instance = _function.Method.IsStatic ? null : context.RequestServices.GetRequiredService(_function.Type);
        var arguments = Array.ConvertAll(_binders, bind => bind(context));
        // A Task-returning function has written its own response, as it would on the Functions host.
        if (await _invoker.InvokeAsync(instance, arguments) is IResult result)
        {
            await result.ExecuteAsync(context);
        }
    }

    private static Func<HttpContext, object?> CreateBinder(FunctionDescriptor function, ParameterInfo parameter, HashSet<string> routeParameters)
    {
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null)
        {
            return parameter.ParameterType == typeof(HttpRequest)
                ? static context => context.Request
                : throw Unsupported(function, parameter, "the [HttpTrigger] parameter must be an HttpRequest (HttpRequestData is not supported)");
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return static context => context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(FunctionContext))
        {
            throw Unsupported(function, parameter, "FunctionContext exists only on the Functions host; take what you need by constructor injection");
        }

        if (parameter.Name is { } name && routeParameters.Contains(name) && RouteValueConverter.For(parameter.ParameterType) is { } convert)
        {
            return context => convert(name, context.Request.RouteValues[name]);
        }

        throw Unsupported(function, parameter, "only HttpRequest, CancellationToken and route values of type string, Guid, int or long can be bound");
    }

    private static NotSupportedException Unsupported(FunctionDescriptor function, ParameterInfo parameter, string reason) =>
        new($"Function '{function.Name}' ({function.EntryPoint}): parameter '{parameter.Name}' of type {parameter.ParameterType} cannot be bound by the development host: {reason}.");
}

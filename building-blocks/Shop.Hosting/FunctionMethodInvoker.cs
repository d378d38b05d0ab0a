using System.Reflection;

namespace Shop.Hosting;

/// <summary>Invokes a function method by reflection and awaits whatever it returns, yielding the awaited value.</summary>
internal sealed class FunctionMethodInvoker
{
    private static readonly MethodInfo AwaitTaskMethod =
        typeof(FunctionMethodInvoker).GetMethod(nameof(AwaitTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static readonly MethodInfo AwaitValueTaskMethod =
        typeof(FunctionMethodInvoker).GetMethod(nameof(AwaitValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly MethodInfo _method;
    private readonly Func<object?, ValueTask<object?>> _awaitResult;

    private FunctionMethodInvoker(MethodInfo method, Type resultType, Func<object?, ValueTask<object?>> awaitResult)
    {
        _method = method;
        ResultType = resultType;
        _awaitResult = awaitResult;
    }

    /// <summary>The type produced once the return value is awaited; <see cref="void"/> for void, Task and ValueTask.</summary>
    public Type ResultType { get; }

    public static FunctionMethodInvoker Create(MethodInfo method)
    {
        var returnType = method.ReturnType;
        if (returnType == typeof(void))
        {
            return new FunctionMethodInvoker(method, typeof(void), static _ => ValueTask.FromResult<object?>(null));
        }

        if (returnType == typeof(Task))
        {
            return new FunctionMethodInvoker(method, typeof(void), static async returned =>
            {
                await (Task)returned!;
                return null;
            });
        }

        if (returnType == typeof(ValueTask))
        {
            return new FunctionMethodInvoker(method, typeof(void), static async returned =>
            {
                await (ValueTask)returned!;
                return null;
            });
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)))
        {
            var resultType = returnType.GetGenericArguments()[0];
            var awaiter = (definition == typeof(Task<>) ? AwaitTaskMethod : AwaitValueTaskMethod).MakeGenericMethod(resultType);
            return new FunctionMethodInvoker(method, resultType, awaiter.CreateDelegate<Func<object?, ValueTask<object?>>>());
        }

        return new FunctionMethodInvoker(method, returnType, static returned => ValueTask.FromResult(returned));
    }

    public async ValueTask<object?> InvokeAsync(object? instance, object?[] arguments)
    {
        // DoNotWrapExceptions keeps the function's own exception (not a TargetInvocationException) for the problem mapping.
        var returned = _method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        return await _awaitResult(returned);
    }

    private static async ValueTask<object?> AwaitTask<T>(object? returned) => await (Task<T>)returned!;

    private static async ValueTask<object?> AwaitValueTask<T>(object? returned) => await (ValueTask<T>)returned!;
}

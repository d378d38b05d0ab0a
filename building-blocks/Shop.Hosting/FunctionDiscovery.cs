using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Hosting;

/// <summary>Reads functions and their triggers from the attributes, the way the Worker SDK's metadata generator does.</summary>
internal static class FunctionDiscovery
{
    // The SDK generator scans top-level classes (public or internal) and skips nested ones; mirror it so both hosts see the same set.
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly) =>
        Discover(assembly.GetTypes().Where(type => !type.IsNested));

    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> types)
    {
        var functions = new List<FunctionDescriptor>();
        foreach (var type in types.Where(type => type.IsClass))
        {
            const BindingFlags declaredPublic = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(declaredPublic))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is { } function)
                {
                    functions.Add(new FunctionDescriptor(function.Name, type, method, ReadTrigger(function.Name, method)));
                }
            }
        }

        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Function name '{duplicate.Key}' is declared more than once: {string.Join(", ", duplicate.Select(f => f.EntryPoint))}.");
        }

        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static FunctionTrigger ReadTrigger(string name, MethodInfo method)
    {
        var triggers = new List<FunctionTrigger>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                var methods = (http.Methods ?? []).Select(m => m.ToLowerInvariant()).ToList();
                // Without a Route the Functions host serves the function under its name.
                triggers.Add(new HttpFunctionTrigger(methods, http.Route ?? name, http.AuthLevel));
            }
            else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                triggers.Add(new TimerFunctionTrigger(timer.Schedule, timer.RunOnStartup));
            }
        }

        return triggers.Count switch
        {
            1 => triggers[0],
            0 => throw new NotSupportedException(
                $"Function '{name}' ({method.DeclaringType?.FullName}.{method.Name}) has no [HttpTrigger] or [TimerTrigger] parameter; the development host runs only those triggers."),
            _ => throw new InvalidOperationException($"Function '{name}' declares more than one trigger."),
        };
    }
}

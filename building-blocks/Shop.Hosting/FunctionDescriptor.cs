using System.Reflection;

namespace Shop.Hosting;

/// <summary>A function found on a <c>[Function]</c> method: its name, where it lives and how it is triggered.</summary>
public sealed record FunctionDescriptor(string Name, Type Type, MethodInfo Method, FunctionTrigger Trigger)
{
    /// <summary>The entry point as the Worker SDK writes it to functions.metadata.</summary>
    public string EntryPoint => $"{Type.FullName}.{Method.Name}";
}

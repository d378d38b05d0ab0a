using Microsoft.Azure.Functions.Worker;

namespace Shop.Hosting;

/// <summary>An <c>[HttpTrigger]</c>: lowercased methods (empty means any), the route template and the auth level.</summary>
public sealed record HttpFunctionTrigger(IReadOnlyList<string> Methods, string Route, AuthorizationLevel AuthLevel) : FunctionTrigger;

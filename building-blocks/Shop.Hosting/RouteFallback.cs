using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Options;

namespace Shop.Hosting;

/// <summary>
/// What an app answers to a request no function's route and method take: a problem+json 405 (with Allow) when the path
/// is a route of the app under other methods, else 404. Each app declares one catch-all function (<see cref="Route"/>)
/// that calls it. The Functions host tries literal segments before parameters and longer routes before shorter
/// ones, and the development host's endpoint routing ranks a catch-all last, so on both hosts it gets only what no
/// other function takes, wrong methods included (a route whose method does not match is passed over on both).
/// </summary>
public sealed class RouteFallback
{
    /// <summary>The catch-all route template of the fallback function.</summary>
    public const string Route = "{*path}";

    private readonly IReadOnlyList<KnownRoute> _routes;

    public RouteFallback(Assembly functionsAssembly)
    {
        var constraints = new DefaultInlineConstraintResolver(Options.Create(new RouteOptions()), EmptyServices.Instance);
        _routes = FunctionDiscovery.Discover(functionsAssembly)
            .Select(f => f.Trigger)
            .OfType<HttpFunctionTrigger>()
            .Where(trigger => trigger.Route != Route)
            .Select(trigger => KnownRoute.Create(trigger, constraints))
            .ToList();
    }

    /// <summary>The methods the app serves on <paramref name="path"/>, in upper case; empty when no route matches it.</summary>
    public IReadOnlyList<string> AllowedMethods(PathString path)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in _routes.Where(route => route.Matches(path)))
        {
            if (route.Methods.Count == 0)
            {
                return [];
            }
            methods.UnionWith(route.Methods);
        }
        return [.. methods];
    }

    public IResult Answer(HttpRequest request)
    {
        var path = request.Path.HasValue ? request.Path.Value! : "/";
        var allowed = AllowedMethods(request.Path);
        if (allowed.Count == 0)
        {
            return Problem(StatusCodes.Status404NotFound, $"No route matches {request.Method} {path}.", request, allow: null);
        }
        return Problem(
            StatusCodes.Status405MethodNotAllowed,
            $"{path} accepts {string.Join(", ", allowed)}, not {request.Method}.",
            request,
            allow: string.Join(", ", allowed));
    }

    private static IResult Problem(int status, string detail, HttpRequest request, string? allow)
    {
        if (allow is not null)
        {
            request.HttpContext.Response.Headers.Allow = allow;
        }
        return TypedResults.Problem(detail: detail, statusCode: status, instance: request.Path.Value);
    }

    private sealed record KnownRoute(TemplateMatcher Matcher, IReadOnlyDictionary<string, IRouteConstraint[]> Constraints, IReadOnlyList<string> Methods)
    {
        public static KnownRoute Create(HttpFunctionTrigger trigger, IInlineConstraintResolver resolver)
        {
            var pattern = RoutePatternFactory.Parse(trigger.Route);
            var constraints = pattern.ParameterPolicies.ToDictionary(
                policy => policy.Key,
                policy => policy.Value.Select(reference => resolver.ResolveConstraint(reference.Content!)
                    ?? throw new InvalidOperationException($"Route '{trigger.Route}' uses an unknown constraint '{reference.Content}'.")).ToArray(),
                StringComparer.OrdinalIgnoreCase);
            var matcher = new TemplateMatcher(TemplateParser.Parse(trigger.Route), new RouteValueDictionary());
            return new KnownRoute(matcher, constraints, trigger.Methods.Select(m => m.ToUpperInvariant()).ToList());
        }

        public bool Matches(PathString path)
        {
            var values = new RouteValueDictionary();
            return Matcher.TryMatch(path, values)
                && Constraints.All(parameter => parameter.Value.All(constraint =>
                    constraint.Match(httpContext: null, route: null, parameter.Key, values, RouteDirection.IncomingRequest)));
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}

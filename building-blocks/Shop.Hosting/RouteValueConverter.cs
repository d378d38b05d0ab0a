using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Shop.Hosting;

/// <summary>Converts a route value to a function parameter's type; a bad value is the client's fault (400).</summary>
internal static class RouteValueConverter
{
    public static Func<string, object?, object?>? For(Type parameterType)
    {
        var underlying = Nullable.GetUnderlyingType(parameterType);
        var target = underlying ?? parameterType;
        var acceptsNull = underlying is not null || !parameterType.IsValueType;

        Func<string, object?>? parse = target switch
        {
            _ when target == typeof(string) => static text => text,
            _ when target == typeof(Guid) => static text => Guid.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : null,
            _ when target == typeof(int) => static text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null,
            _ when target == typeof(long) => static text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null,
            _ => null,
        };
        if (parse is null)
        {
            return null;
        }

        return (name, routeValue) =>
        {
            var text = Convert.ToString(routeValue, CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(text))
            {
                return acceptsNull ? null : throw new BadHttpRequestException($"Route value '{name}' is required.");
            }

            return parse(text) ?? throw new BadHttpRequestException($"Route value '{name}' is not a valid {target.Name}.");
        };
    }
}

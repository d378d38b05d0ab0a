using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Shop.Hosting;

/// <summary>Whether a request carries the configured function key, compared in constant time.</summary>
internal sealed class FunctionKeyCheck(string key)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public bool Allows(HttpRequest request)
    {
        var values = request.Headers[HeaderName];
        if (values.Count == 0)
        {
            values = request.Query[QueryName];
        }
        return values.Count == 1 && values[0] is { } sent && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), _key);
    }

    public static IResult Refusal(HttpContext context) => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Unauthorized",
        detail: $"This function needs the app's function key in the {HeaderName} header (the gateway sends it); call it through the gateway.",
        instance: context.Request.Path.Value);
}

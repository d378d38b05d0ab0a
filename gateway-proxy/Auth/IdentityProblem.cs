using Microsoft.Net.Http.Headers;
using Shop.Gateway.Problems;

namespace Shop.Gateway.Auth;

/// <summary>Why a request has no usable identity, as the problem+json answer (and the Bearer challenge of a 401) the client gets.</summary>
/// <param name="Challenge">The WWW-Authenticate value, for a 401.</param>
public sealed record IdentityProblem(int Status, string Title, string Detail, string? Challenge)
{
    /// <summary>400: the X-User-ID (header mode) is missing or not one positive integer.</summary>
    public static IdentityProblem BadUser(string detail) => new(StatusCodes.Status400BadRequest, "Bad Request", detail, null);

    /// <summary>401 without a token: the challenge names only the scheme (RFC 6750 §3).</summary>
    public static IdentityProblem NoToken(string detail) => new(StatusCodes.Status401Unauthorized, "Unauthorized", detail, "Bearer");

    /// <summary>401 for a token that was sent but is not accepted.</summary>
    public static IdentityProblem InvalidToken(string detail, string description) =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", detail, $"Bearer error=\"invalid_token\", error_description=\"{description}\"");

    /// <summary>403: a valid token that names no user the shop knows how to address.</summary>
    public static IdentityProblem NoUser(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail, null);

    public Task WriteAsync(HttpContext context)
    {
        if (Challenge is not null)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
        }
        return GatewayProblem.WriteAsync(context, Status, Title, Detail);
    }
}

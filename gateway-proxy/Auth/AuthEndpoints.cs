using System.Text.Json;
using Microsoft.Extensions.Options;
using Shop.Gateway.Problems;
using Shop.Identity;

namespace Shop.Gateway.Auth;

/// <summary><c>GET /auth/mode</c> for the page to know how to sign in, and <c>POST /auth/dev-token</c> when Auth:DevTokens is on.</summary>
internal static class AuthEndpoints
{
    public const string ModePath = "/auth/mode";
    public const string DevTokenPath = "/auth/dev-token";

    public static void Map(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        app.MapGet(ModePath, () => TypedResults.Ok(new AuthModeResponse(options.Mode.ToString(), options.DevTokens, options.HasAuthority ? options.Authority : null)));
        if (options.DevTokens)
        {
            var issuer = TokenIssuer.FromBase64(options.SigningKey, options.Issuer, options.Audience, app.Services.GetService<TimeProvider>());
            app.MapPost(DevTokenPath, (HttpContext context, ILogger<TokenIssuer> logger) => IssueAsync(context, issuer, options.DevTokenLifetime, logger));
        }
    }

    private static async Task<IResult> IssueAsync(HttpContext context, TokenIssuer issuer, TimeSpan lifetime, ILogger logger)
    {
        if (!context.Request.HasJsonContentType())
        {
            return GatewayProblem.Create(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "Send the body as application/json: {\"userId\": N}.");
        }
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return GatewayProblem.Create(context, StatusCodes.Status400BadRequest, "Bad Request", "The body is not valid JSON; send {\"userId\": N}.");
        }
        using (body)
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return GatewayProblem.Create(context, StatusCodes.Status400BadRequest, "Bad Request", "The body must be a JSON object: {\"userId\": N}.");
            }
            if (!body.RootElement.TryGetProperty("userId", out var user) || user.ValueKind != JsonValueKind.Number
                || !user.TryGetInt64(out var userId) || userId <= 0)
            {
                return GatewayProblem.Create(context, StatusCodes.Status422UnprocessableEntity, "Unprocessable Entity",
                    "userId must be a positive integer.");
            }
            var token = issuer.Issue(userId, lifetime);
            AuthLog.DevTokenIssued(logger, userId, token.ExpiresAt);
            return TypedResults.Ok(new DevTokenResponse(token.Token, "Bearer", token.UserId, token.ExpiresAt));
        }
    }
}

/// <summary>How the gateway identifies users: <c>{"mode":"Header"|"Jwt","devTokens":bool,"authority":url|null}</c>.</summary>
public sealed record AuthModeResponse(string Mode, bool DevTokens, string? Authority);

/// <summary>A token from <c>POST /auth/dev-token</c>: send it as <c>Authorization: Bearer {token}</c>.</summary>
public sealed record DevTokenResponse(string Token, string TokenType, long UserId, DateTimeOffset ExpiresAt);

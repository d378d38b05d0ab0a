using Microsoft.Extensions.Options;
using Shop.Identity;

namespace Shop.Gateway.Auth;

/// <summary>The rules between the Auth settings that a single attribute cannot state; the gateway does not start against them.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.HasSigningKey && !SigningKey.TryDecode(options.SigningKey, out _, out var problem))
        {
            failures.Add($"Auth:SigningKey is unusable: {problem} (make one with: openssl rand -base64 32).");
        }
        if (options.HasAuthority && !IsAuthority(options.Authority!, options.RequireHttpsMetadata))
        {
            failures.Add("Auth:Authority must be an absolute https URL of an OpenID Connect issuer (http only with Auth:RequireHttpsMetadata=false).");
        }
        if (options.Mode == AuthMode.Jwt && options.HasSigningKey == options.HasAuthority)
        {
            failures.Add("Auth:Mode=Jwt needs exactly one of Auth:SigningKey (HS256 tokens) or Auth:Authority (an OpenID Connect provider).");
        }
        if (options.DevTokens && (options.Mode != AuthMode.Jwt || !options.HasSigningKey))
        {
            failures.Add("Auth:DevTokens=true needs Auth:Mode=Jwt with Auth:SigningKey: dev tokens are signed with that key.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAuthority(string value, bool requireHttps) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!requireHttps && uri.Scheme == Uri.UriSchemeHttp));
}

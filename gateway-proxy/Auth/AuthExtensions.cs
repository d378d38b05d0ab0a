using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.Identity;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Shop.Gateway.Auth;

/// <summary>Identity at the gateway: Header or Jwt mode, the bearer handler, the function keys sent to the apps, /auth endpoints.</summary>
public static class AuthExtensions
{
    public static IHostApplicationBuilder AddShopIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IRequestIdentity, RequestIdentity>();
        services.AddSingleton<ITransformProvider, FunctionKeyTransformProvider>();

        // Only Jwt mode has an authentication scheme: in Header mode no request pays for a bearer handler.
        if (builder.Configuration.GetSection(AuthOptions.SectionName).GetValue<AuthMode>(nameof(AuthOptions.Mode)) == AuthMode.Jwt)
        {
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IOptions<AuthOptions>>((jwt, auth) => ConfigureBearer(jwt, auth.Value));
        }
        return builder;
    }

    /// <summary>Resolves who a proxied or hub request comes from, before the rate limiter; refuses nothing by itself.</summary>
    public static WebApplication UseShopIdentity(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthExtensions).Namespace!);
        if (options.Mode == AuthMode.Header)
        {
            AuthLog.HeaderModeIsUnauthenticated(logger);
        }
        else
        {
            AuthLog.JwtMode(logger, options.HasAuthority ? $"OpenID Connect authority {options.Authority}" : $"HS256, issuer '{options.Issuer}'", options.UserIdClaim);
        }
        if (options.DevTokens)
        {
            AuthLog.DevTokensOn(logger);
        }
        if (options.Mode == AuthMode.Jwt)
        {
            // Here, not where the host would add it by itself: after CORS, so a refused preflight never meets the bearer handler.
            app.UseAuthentication();
        }
        app.UseMiddleware<IdentityResolutionMiddleware>();
        return app;
    }

    /// <summary>In the proxy pipeline: Jwt mode refuses a request without an accepted token and sets X-User-ID from it.</summary>
    public static IApplicationBuilder UseProxyIdentity(this IApplicationBuilder proxy) => proxy.UseMiddleware<ProxyIdentityMiddleware>();

    public static WebApplication MapShopAuth(this WebApplication app)
    {
        AuthEndpoints.Map(app);
        return app;
    }

    private static void ConfigureBearer(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Claims keep their JWT names ("sub"), not the WS-* URIs the handler maps them to by default.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = auth.ClockSkew,
            NameClaimType = auth.UserIdClaim,
        };
        if (auth.HasAuthority)
        {
            jwt.Authority = auth.Authority;
            jwt.Audience = auth.Audience;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        }
        else if (SigningKey.TryDecode(auth.SigningKey, out var key, out _))
        {
            jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(key);
            jwt.TokenValidationParameters.ValidateIssuerSigningKey = true;
            // Only the algorithm of the shared key: no "none", and no other HMAC size a client might pick.
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        jwt.Events = new JwtBearerEvents
        {
            // Browsers cannot set headers on a WebSocket: the SignalR JS client sends its token as ?access_token=. Only the
            // hub and WebSocket requests may do that; a REST call's token belongs in its header, not in URLs that get logged.
            OnMessageReceived = context =>
            {
                if (RequestIdentity.MayCarryTokenInQuery(context.HttpContext)
                    && string.IsNullOrEmpty(context.Request.Headers.Authorization)
                    && context.Request.Query[RequestIdentity.TokenQueryParameter] is { Count: 1 } token)
                {
                    context.Token = token[0];
                }
                return Task.CompletedTask;
            },
        };
    }
}

using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Gateway.Tests;

/// <summary>
/// Auth:Authority: the gateway reads an OpenID Connect provider's discovery document and keys (here a small provider
/// on loopback that signs RS256 tokens) and accepts only the tokens that provider signed for the shop's audience.
/// </summary>
public sealed class OidcAuthorityTests : IAsyncLifetime
{
    private readonly RSA _rsa = RSA.Create(2048);
    private LoopbackApp _provider = null!;
    private string _issuer = null!;
    private EchoBackend _orders = null!;
    private EchoBackend _payments = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        var provider = LoopbackApp.CreateEmpty();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "provider-key" });
        provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = _issuer,
            ["jwks_uri"] = _issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        provider.MapGet("/keys", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }));
        await provider.StartAsync();
        _provider = new LoopbackApp(provider);
        _issuer = provider.Urls.Single();

        _orders = await EchoBackend.StartAsync("orders");
        _payments = await EchoBackend.StartAsync("payments");
        _gateway = await GatewayHost.StartAsync(_orders.Address, _payments.Address,
            "Auth:Mode=Jwt", $"Auth:Authority={_issuer}", "Auth:RequireHttpsMetadata=false", "Auth:Audience=shop-api");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _orders.DisposeAsync();
        await _payments.DisposeAsync();
        await _provider.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task A_token_the_provider_signed_for_the_shop_names_the_user()
    {
        using var response = await SendAsync(Sign(_rsa, _issuer, "shop-api", "31"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal("31", echoed!.Header("X-User-ID"));
    }

    [Fact]
    public async Task Tokens_of_another_key_issuer_or_audience_are_refused()
    {
        using var otherKey = RSA.Create(2048);

        using var wrongKey = await SendAsync(Sign(otherKey, _issuer, "shop-api", "31"));
        using var wrongIssuer = await SendAsync(Sign(_rsa, "http://127.0.0.1:1/", "shop-api", "31"));
        using var wrongAudience = await SendAsync(Sign(_rsa, _issuer, "shop", "31"));

        await ProblemAssert.IsProblemAsync(wrongKey, HttpStatusCode.Unauthorized, "/orders/orders");
        await ProblemAssert.IsProblemAsync(wrongIssuer, HttpStatusCode.Unauthorized, "/orders/orders");
        await ProblemAssert.IsProblemAsync(wrongAudience, HttpStatusCode.Unauthorized, "/orders/orders");
    }

    [Fact]
    public async Task A_provider_subject_that_is_not_a_shop_user_id_is_a_403_problem()
    {
        using var response = await SendAsync(Sign(_rsa, _issuer, "shop-api", "00u1a2b3c4"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "/orders/orders");
    }

    private Task<HttpResponseMessage> SendAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/orders/orders");
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("X-User-ID", "1");
        return _gateway.Client.SendAsync(request);
    }

    private static string Sign(RSA rsa, string issuer, string audience, string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        Expires = DateTime.UtcNow.AddMinutes(5),
        Claims = new Dictionary<string, object> { ["sub"] = subject },
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "provider-key" }, SecurityAlgorithms.RsaSha256),
    });
}

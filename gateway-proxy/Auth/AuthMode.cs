namespace Shop.Gateway.Auth;

/// <summary>Where the gateway takes a request's user from.</summary>
public enum AuthMode
{
    /// <summary>The client's X-User-ID header, unchecked: the original contract, for local development only.</summary>
    Header,

    /// <summary>The <c>sub</c> claim of a bearer token the gateway validates; the client's X-User-ID is replaced.</summary>
    Jwt,
}

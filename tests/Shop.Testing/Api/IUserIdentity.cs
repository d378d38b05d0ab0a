namespace Shop.Testing.Api;

/// <summary>How a request says which user it acts for: the X-User-ID header, or a bearer token of that user.</summary>
public interface IUserIdentity
{
    void Apply(HttpRequestMessage request, long userId);
}

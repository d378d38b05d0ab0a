namespace Shop.Testing.Api;

/// <summary>The user named in X-User-ID, as the gateway in Auth:Mode=Header reads it.</summary>
public sealed class UserIdHeader : IUserIdentity
{
    public static readonly UserIdHeader Instance = new();

    private UserIdHeader()
    {
    }

    public void Apply(HttpRequestMessage request, long userId) =>
        request.Headers.Add("X-User-ID", userId.ToString(CultureInfo.InvariantCulture));
}

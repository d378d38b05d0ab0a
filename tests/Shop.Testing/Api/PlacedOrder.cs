namespace Shop.Testing.Api;

/// <summary>What a load's order request came to: the order's id, or <see cref="Refused"/>, or an error kind such as <c>http_502</c> or <c>timeout</c>.</summary>
public readonly record struct PlacedOrder(Guid Id, string? Error)
{
    /// <summary>An order the shop refused at admission: 503 with <c>Retry-After</c>, nothing written.</summary>
    public const string Refused = "refused";
}

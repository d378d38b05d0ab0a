namespace Shop.Testing.Api;

/// <summary>A definite answer <see cref="HonestClient"/> got: accepted (2xx) or refused (4xx), after how many attempts.</summary>
public sealed record Answer(bool Accepted, int Status, string Body, int Attempts)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

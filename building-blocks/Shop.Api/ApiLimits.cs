namespace Shop.Api;

public static class ApiLimits
{
    /// <summary>Largest accepted amount, in minor units (ten million in major units).</summary>
    public const long MaxAmount = 1_000_000_000;

    /// <summary>Largest request body the APIs read; their bodies are a few dozen bytes.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public const int MaxJsonDepth = 8;
    public const int MaxIdempotencyKeyLength = 128;
}

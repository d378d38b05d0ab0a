using System.ComponentModel.DataAnnotations;

namespace Shop.Gateway.Configuration;

public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Origins of the static site allowed to call the gateway from a browser, e.g. http://localhost:8080.</summary>
    [Required, MinLength(1)]
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Largest request body the gateway accepts, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodySize { get; set; } = 64 * 1024;

    /// <summary>How long each service gets to answer GET /health before it is reported unready.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

using System.ComponentModel.DataAnnotations;

namespace Shop.Hosting;

/// <summary>
/// The function key (section <c>Functions</c>). The development host then answers a function of
/// <c>AuthorizationLevel.Function</c> or above only when the request carries this key in <c>x-functions-key</c>
/// (or <c>?code=</c>), as the Functions host does with its host keys. In a Functions container the same value is
/// written to the host's key file as its default host key (docker-compose.yml).
/// </summary>
public sealed class FunctionKeyOptions
{
    public const string SectionName = "Functions";

    /// <summary>Unset: the development host serves every function to anyone (and says so at start).</summary>
    [MinLength(16)]
    public string? HostKey { get; set; }
}

using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>auth</c> section: bearer tokens of the admin and intake surfaces (docs/operations.md "Securing the HTTP
/// surfaces"). Any token here or in <c>COURIER_ADMIN_TOKENS</c> turns authentication on.
/// </summary>
public sealed class AuthConfig
{
    /// <summary><c>tokens</c>: the accepted tokens, by the SHA-256 of each (several at once for rotation).</summary>
    [ConfigurationKeyName("tokens")]
    public ConfigList<AuthTokenConfig>? Tokens { get; init; }

    /// <summary>
    /// <c>allow_unauthenticated_network</c>: let the admin or intake surface listen on a non-loopback address with no
    /// token configured (a warning at start); default false, which refuses to start.
    /// </summary>
    [ConfigurationKeyName("allow_unauthenticated_network")]
    public bool? AllowUnauthenticatedNetwork { get; init; }
}

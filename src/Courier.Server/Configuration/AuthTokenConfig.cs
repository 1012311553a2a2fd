using Courier.Server.Security;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>One of <c>auth.tokens</c>: <c>{name, sha256, scopes}</c>; the file holds the token's hash, never the token.</summary>
public sealed class AuthTokenConfig
{
    /// <summary><c>name</c>: who or what holds the token (logs and the console show it, never the token).</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; init; }

    /// <summary><c>sha256</c>: the hex SHA-256 of the token's UTF-8 text (<c>courier token hash</c> prints it).</summary>
    [ConfigurationKeyName("sha256")]
    public string? Sha256 { get; init; }

    /// <summary><c>scopes</c>: <c>read</c>, <c>operate</c> (includes read), <c>intake</c>; default read and operate.</summary>
    [ConfigurationKeyName("scopes")]
    public ConfigList<string>? Scopes { get; init; }

    /// <summary>The token this entry describes (after the configuration's checks).</summary>
    public AccessToken ToToken() => new(
        Name ?? throw new InvalidOperationException("the token has no name"),
        Convert.FromHexString(Sha256 ?? throw new InvalidOperationException("the token has no sha256")),
        (Scopes ?? []).Select(s => AccessToken.ParseScope(s) ?? throw new InvalidOperationException($"'{s}' is not a scope")));
}

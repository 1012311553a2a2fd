using System.Security.Cryptography;
using System.Text;

namespace Courier.Server.Security;

/// <summary>
/// A bearer token the dispatcher service accepts: its name (for logs and the console, never the token), the SHA-256
/// of the token, and what it may do. The token itself is never kept.
/// </summary>
public sealed class AccessToken
{
    /// <summary>Scopes of a token that names none: read and operate (not intake, which producers get explicitly).</summary>
    public static readonly IReadOnlyList<AccessScope> DefaultScopes = [AccessScope.Read, AccessScope.Operate];

    /// <summary>Creates a token from the SHA-256 of its text.</summary>
    /// <param name="name">A name for it (who or what holds it).</param>
    /// <param name="sha256">The 32 bytes of the SHA-256 of the token's UTF-8 text.</param>
    /// <param name="scopes">What it may do; empty: <see cref="DefaultScopes"/>.</param>
    public AccessToken(string name, ReadOnlySpan<byte> sha256, IEnumerable<AccessScope> scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(scopes);
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"a SHA-256 has {SHA256.HashSizeInBytes} bytes, got {sha256.Length}", nameof(sha256));
        }
        Name = name;
        _sha256 = sha256.ToArray();
        var given = scopes.Distinct().Order().ToArray();
        Scopes = given.Length == 0 ? DefaultScopes : given;
    }

    private readonly byte[] _sha256;

    /// <summary>Its name.</summary>
    public string Name { get; }

    /// <summary>SHA-256 of the token's UTF-8 text.</summary>
    public IReadOnlyList<byte> Sha256 => _sha256;

    /// <summary>The hash, for fixed-time comparison.</summary>
    internal ReadOnlySpan<byte> HashBytes => _sha256;

    /// <summary>What it may do.</summary>
    public IReadOnlyList<AccessScope> Scopes { get; }

    /// <summary>The token for <paramref name="secret"/>, which is hashed here and not kept.</summary>
    public static AccessToken FromSecret(string name, string secret, params AccessScope[] scopes)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new AccessToken(name, Hash(secret), scopes);
    }

    /// <summary>The SHA-256 of <paramref name="secret"/>'s UTF-8 text.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The lower-case hex SHA-256 of <paramref name="secret"/>, as <c>auth.tokens[].sha256</c> holds it.</summary>
    public static string HashHex(string secret) => Convert.ToHexStringLower(Hash(secret));

    /// <summary>Whether the token may do what <paramref name="scope"/> allows (<see cref="AccessScope.Operate"/> includes <see cref="AccessScope.Read"/>).</summary>
    public bool Grants(AccessScope scope) =>
        Scopes.Contains(scope) || (scope == AccessScope.Read && Scopes.Contains(AccessScope.Operate));

    /// <summary>A scope's name as configured: <c>read</c>, <c>operate</c>, <c>intake</c>.</summary>
    public static string ScopeName(AccessScope scope) => scope.ToString().ToLowerInvariant();

    /// <summary>Reads a scope's name (<c>read</c>, <c>operate</c>, <c>intake</c>); null when it is none of them.</summary>
    public static AccessScope? ParseScope(string name) => name.Trim().ToLowerInvariant() switch
    {
        "read" => AccessScope.Read,
        "operate" => AccessScope.Operate,
        "intake" => AccessScope.Intake,
        _ => null,
    };
}

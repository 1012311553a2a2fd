using System.Security.Cryptography;

namespace Courier.Server.Security;

/// <summary>
/// The tokens the dispatcher service accepts (several at once, for rotation). A presented token is hashed and its
/// SHA-256 compared with every configured one in fixed time, without stopping at a match, so neither the time nor
/// the order tells which token (or how much of one) matched. No token configured: authentication is off.
/// </summary>
internal sealed class AccessTokens
{
    private readonly AccessToken[] _tokens;

    /// <summary>Creates the set; two tokens with the same name or the same hash are refused.</summary>
    public AccessTokens(IEnumerable<AccessToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = [.. tokens];
        if (_tokens.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } name)
        {
            throw new ArgumentException($"two tokens are named '{name.Key}': each needs a name of its own");
        }
        if (_tokens.GroupBy(t => Convert.ToHexString(t.HashBytes)).FirstOrDefault(g => g.Count() > 1) is { } same)
        {
            throw new ArgumentException($"tokens {string.Join(" and ", same.Select(t => $"'{t.Name}'"))} are the same token");
        }
    }

    /// <summary>Whether any token is configured, which turns authentication on for the admin and intake surfaces.</summary>
    public bool Enabled => _tokens.Length > 0;

    /// <summary>How many tokens are configured.</summary>
    public int Count => _tokens.Length;

    /// <summary>The configured token whose secret is <paramref name="presented"/>, else null.</summary>
    public AccessToken? Authenticate(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return FindByHash(AccessToken.Hash(presented));
    }

    /// <summary>The configured token with this SHA-256 (e.g. a console session's), else null; compared in fixed time.</summary>
    public AccessToken? FindByHash(ReadOnlySpan<byte> sha256)
    {
        AccessToken? found = null;
        foreach (var token in _tokens)
        {
            // Every token is compared, whatever matched before: no early exit.
            var equal = CryptographicOperations.FixedTimeEquals(sha256, token.HashBytes);
            found = equal ? token : found;
        }
        return found;
    }
}

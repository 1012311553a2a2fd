namespace Courier.Server.Security;

/// <summary>
/// <c>COURIER_ADMIN_TOKENS</c>: tokens given in the environment, <c>name=token[:scope+scope][,name=token…]</c>
/// (scopes <c>read</c>, <c>operate</c>, <c>intake</c>; none given: read and operate). Each token is hashed as it is
/// read and not kept; an error names the entry by its position and name, never its token.
/// </summary>
internal static class AdminTokensVariable
{
    /// <summary>The variable's name.</summary>
    public const string Name = "COURIER_ADMIN_TOKENS";

    /// <summary>The tokens of <paramref name="value"/> (none when it is null or blank).</summary>
    /// <exception cref="ArgumentException">An entry is malformed: the message says which and how.</exception>
    public static IReadOnlyList<AccessToken> Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        var entries = value.Split(',');
        var tokens = new List<AccessToken>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            tokens.Add(Entry(entries[i].Trim(), i + 1));
        }
        return tokens;
    }

    private static AccessToken Entry(string entry, int position)
    {
        var at = $"{Name} entry {position}";
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"{at} is not name=token[:scope+scope] (no name before '=')");
        }
        var name = entry[..equals].Trim();
        if (name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"{at}: the name has whitespace or control characters");
        }
        var rest = entry[(equals + 1)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var secret = colon < 0 ? rest : rest[..colon];
        if (secret.Length == 0)
        {
            throw new ArgumentException($"{at} ('{name}') has an empty token");
        }
        if (secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"{at} ('{name}'): the token has whitespace or control characters");
        }
        var scopes = new List<AccessScope>();
        if (colon >= 0)
        {
            foreach (var part in rest[(colon + 1)..].Split('+'))
            {
                scopes.Add(AccessToken.ParseScope(part)
                    ?? throw new ArgumentException($"{at} ('{name}'): what follows ':' is not scopes (read, operate, intake, joined with '+'); "
                        + "a token cannot hold ':' or ','")); // not echoed: it may be part of a token
            }
        }
        return AccessToken.FromSecret(name, secret, [.. scopes]);
    }
}

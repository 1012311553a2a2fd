using Courier.Server.Security;

namespace Courier.Server.Configuration;

/// <summary>Checks of <c>auth</c> (tokens: named once, a SHA-256 in hex, known scopes) and of <c>http.listen</c> and <c>http.tls</c>.</summary>
internal sealed partial class ConfigChecks
{
    private void Auth(AuthConfig auth, ConfigAt at)
    {
        var tokens = auth.Tokens ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var tokenAt = at["tokens"][i];
            if (token.Name is null)
            {
                throw Error(tokenAt, "needs 'name' (who or what holds the token)");
            }
            NoWhitespace(token.Name, tokenAt["name"], "token name");
            if (!names.Add(token.Name))
            {
                throw Error(tokenAt["name"], $"token '{token.Name}' is defined more than once");
            }
            if (token.Sha256 is not { Length: 64 } hash || !hash.All(char.IsAsciiHexDigit))
            {
                throw Error(tokenAt["sha256"], "must be the 64 hex digits of the token's SHA-256 (`courier token hash` prints it; "
                    + "the token itself never goes in the file)");
            }
            if (!hashes.Add(hash))
            {
                throw Error(tokenAt["sha256"], $"token '{token.Name}' has the same sha256 as another: each holder needs a token of its own");
            }
            var scopes = token.Scopes ?? [];
            for (var s = 0; s < scopes.Count; s++)
            {
                if (AccessToken.ParseScope(scopes[s]) is null)
                {
                    throw Error(tokenAt["scopes"][s], $"'{scopes[s]}' is not a scope: read, operate (includes read) or intake");
                }
            }
        }
    }

    private void Listen(HttpConfig http, ConfigAt at)
    {
        var https = new List<string>();
        foreach (var (key, value) in new[] { ("admin", http.Listen?.Admin), ("intake", http.Listen?.Intake), ("metrics", http.Listen?.Metrics) })
        {
            if (ListenAddress(value, at["listen"][key]) is { Https: true })
            {
                https.Add(key);
            }
        }
        if (http.Tls is { } tls)
        {
            if (tls.Certificate is null)
            {
                throw Error(at["tls"], "needs 'certificate' (a PEM file; the key in it or in 'key')");
            }
            tls.Certificate = FilePath(tls.Certificate);
            tls.Key = FilePath(tls.Key);
        }
        else if (https.Count > 0)
        {
            throw Error(at["listen"][https[0]], "is an https:// address, but http.tls gives no certificate");
        }
    }

    /// <summary>A listen address (<see cref="Security.ListenAddress"/>), when given.</summary>
    private Security.ListenAddress? ListenAddress(string? value, ConfigAt at)
    {
        try
        {
            return value is null ? null : Security.ListenAddress.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw Error(at, e.Message);
        }
    }
}

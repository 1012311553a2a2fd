namespace Courier;

/// <summary>One shared signing key of dispatchers and runners.</summary>
public sealed class RunnerKey
{
    /// <summary>Creates a key; <paramref name="secret"/> is text or <c>base64:</c>…, at least 16 bytes.</summary>
    public RunnerKey(string id, string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Contains(',', StringComparison.Ordinal) || id.Contains('=', StringComparison.Ordinal) || id.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"a runner key id must not contain ',', '=' or whitespace, got '{id}'", nameof(id));
        }
        Id = id;
        Secret = RunnerSignature.ParseSecret(secret);
    }

    /// <summary>Names the key in <see cref="RunnerProtocol.KeyIdHeader"/>.</summary>
    public string Id { get; }

    /// <summary>The secret bytes.</summary>
    public byte[] Secret { get; }

    /// <summary>
    /// Reads keys written as <c>id=secret,id2=secret2</c> (the form of the <see cref="EnvironmentVariable"/> and of a key
    /// file). Dispatchers sign with the first; runners accept all of them. Only <see cref="RunnerKeySource"/> calls it.
    /// </summary>
    internal static IReadOnlyList<RunnerKey> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keys = new List<RunnerKey>();
        foreach (var entry in text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                // The entry is not echoed: it may hold a secret.
                throw new FormatException($"runner key {keys.Count + 1} is not of the form id=secret");
            }
            var key = new RunnerKey(entry[..equals], entry[(equals + 1)..]);
            if (keys.Any(k => k.Id == key.Id))
            {
                throw new FormatException($"runner key id '{key.Id}' appears twice");
            }
            keys.Add(key);
        }
        return keys;
    }

    /// <summary>The environment variable both sides read their keys from when configuration names none.</summary>
    public const string EnvironmentVariable = "COURIER_RUNNER_KEYS";
}

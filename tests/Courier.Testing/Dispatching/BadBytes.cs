using System.Text;

namespace Courier.Testing;

/// <summary>
/// Byte sequences for a job topic that must all end as <c>decode</c> dead letters: seeded random bytes, JSON token soup,
/// mutations of a valid event that no longer decode, and one of each named bad input of docs/robustness.md. Deterministic
/// for a seed, so a failure names a reproducible input.
/// </summary>
public static class BadBytes
{
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ":", ",", "\"", "null", "true", "1", "-0.5e9", "\"meta\"", "\"id\"", "\"type\"", "\"params\"",
        "\"dt\"", "\"database\"", "\"delay_until\"", "\"\\ud800\"", "\"x\"", " ", "\u00e9", "\"alpha\"",
    ];

    /// <summary>The rows of <see cref="Row"/> that no edge takes: each must end a decode dead letter at the dispatcher.</summary>
    public static readonly IReadOnlyList<string> Rejected =
    [
        "empty", "whitespace", "truncated", "non-UTF-8", "non-UTF-8 everywhere", "deeply nested", "duplicate keys", "wrong types",
        "dt not a date", "enormous delay_until", "not an object", "two events",
    ];

    /// <summary>
    /// One row of docs/robustness.md's bad-input table, made from <paramref name="valid"/> (a valid event's JSON text,
    /// as the codec writes it): the intake, runner and dispatcher tests all attack their edge with these same bytes.
    /// Besides <see cref="Rejected"/>: "unknown fields", "dt far future", "dt far past" (taken everywhere).
    /// </summary>
    public static byte[] Row(string row, string valid)
    {
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
        return row switch
        {
            "empty" => [],
            "whitespace" => Text(" \n\t "),
            "truncated" => Text(valid[..(valid.Length / 2)]),
            "non-UTF-8" => WithBytes(ReplaceValue(valid, "database", "\"en|\""), [0xC3, 0x28]),
            "non-UTF-8 everywhere" => Text(valid).Select(b => b == (byte)'a' ? (byte)0xC3 : b).ToArray(),
            "deeply nested" => Text(valid.Replace("\"params\":{", "\"params\":{\"n\":" + new string('[', 100) + new string(']', 100) + ",", StringComparison.Ordinal)),
            "duplicate keys" => Text(valid.Replace("\"database\":", "\"database\":\"x\",\"database\":", StringComparison.Ordinal)),
            "wrong types" => Text(ReplaceValue(valid, "database", "42")),
            "dt not a date" => Text(ReplaceValue(valid, "dt", "\"yesterday\"")),
            "enormous delay_until" => Text(valid[..^1] + ",\"delay_until\":\"9999-12-31T23:59:59Z\"}"),
            "not an object" => Text("[1,2,3]"),
            "two events" => Text(valid + valid),
            "unknown fields" => Text(valid[..^1] + ",\"x_unknown\":{\"a\":[1,2]},\"meta2\":null}"),
            "dt far future" => Text(ReplaceValue(valid, "dt", "\"9999-01-01T00:00:00Z\"")),
            "dt far past" => Text(ReplaceValue(valid, "dt", "\"1970-01-01T00:00:00Z\"")),
            _ => throw new ArgumentOutOfRangeException(nameof(row), row, "not a row of the bad-input table"),
        };
    }

    /// <summary><paramref name="count"/> random sequences from <paramref name="seed"/>, each one <paramref name="isBad"/> refuses.</summary>
    public static List<byte[]> Random(int seed, int count, string valid, Func<byte[], bool> isBad)
    {
        var random = new Random(seed);
        var found = new List<byte[]>(count);
        var validBytes = Encoding.UTF8.GetBytes(valid);
        while (found.Count < count)
        {
            var candidate = (found.Count % 3) switch
            {
                0 => RandomBytes(random),
                1 => TokenSoup(random),
                _ => Mutate(random, validBytes),
            };
            if (isBad(candidate))
            {
                found.Add(candidate);
            }
        }
        return found;
    }

    /// <summary>The event text with the first <c>"name":value</c> string value replaced by <paramref name="json"/>.</summary>
    public static string ReplaceValue(string eventJson, string name, string json)
    {
        var key = $"\"{name}\":\"";
        var start = eventJson.IndexOf(key, StringComparison.Ordinal) + key.Length - 1;
        var end = eventJson.IndexOf('"', start + 1);
        return string.Concat(eventJson.AsSpan(0, start), json, eventJson.AsSpan(end + 1));
    }

    /// <summary>The UTF-8 of <paramref name="text"/> with <paramref name="bytes"/> (e.g. ones that are not UTF-8) in place of its one '|'.</summary>
    public static byte[] WithBytes(string text, byte[] bytes)
    {
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..bar]), .. bytes, .. Encoding.UTF8.GetBytes(text[(bar + 1)..])];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 80)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] TokenSoup(Random random) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => Tokens[random.Next(Tokens.Length)])));

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            default:
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + random.Next(1, 8))..]];
        }
    }
}

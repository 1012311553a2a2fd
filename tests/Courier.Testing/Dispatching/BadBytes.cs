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

    /// <summary>
    /// The named rows, for <paramref name="valid"/> (a valid event's JSON text of the type under test): each breaks one
    /// rule, so each must end a decode dead letter.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Value)> Named(string valid)
    {
        yield return ("empty value (also a Kafka null value: the consumer reads it as empty)", []);
        yield return ("whitespace only", " \n\t "u8.ToArray());
        yield return ("truncated", Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]));
        yield return ("not UTF-8", [.. Encoding.UTF8.GetBytes(valid[..20]), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(valid[20..])]);
        yield return ("not UTF-8 inside a string", Encoding.UTF8.GetBytes(valid).Select(b => b == (byte)'a' ? (byte)0xC3 : b).ToArray());
        yield return ("deeply nested", Encoding.UTF8.GetBytes(valid.Replace("\"params\":{", "\"params\":{\"n\":" + new string('[', 200) + new string(']', 200) + ",", StringComparison.Ordinal)));
        yield return ("duplicate keys", Encoding.UTF8.GetBytes(valid.Replace("\"database\":", "\"database\":\"x\",\"database\":", StringComparison.Ordinal)));
        yield return ("wrong types", Encoding.UTF8.GetBytes(ReplaceValue(valid, "database", "42")));
        yield return ("meta.dt not a date", Encoding.UTF8.GetBytes(ReplaceValue(valid, "dt", "\"yesterday\"")));
        yield return ("enormous delay_until", Encoding.UTF8.GetBytes(valid[..^1] + ",\"delay_until\":\"9999-12-31T23:59:59Z\"}"));
        yield return ("JSON that is not an object", "[1,2,3]"u8.ToArray());
        yield return ("two events in one record", Encoding.UTF8.GetBytes(valid + valid));
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

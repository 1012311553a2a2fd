using System.Globalization;
using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>JSON value equality as JSON Schema defines it (numbers by value, objects without key order) and short renderings for messages.</summary>
internal static class JsonValues
{
    private const int MaxShown = 40;

    // Messages are read by people on a terminal: keep non-ASCII characters as they are.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool Equal(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }
        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return TryGetNumber(a, out var x) && TryGetNumber(b, out var y)
                    ? x == y
                    : string.Equals(a.GetRawText(), b.GetRawText(), StringComparison.Ordinal);
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }
                using (var ea = a.EnumerateArray().GetEnumerator())
                using (var eb = b.EnumerateArray().GetEnumerator())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!Equal(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }
                return true;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var property in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(property.Name, out var other) || !Equal(property.Value, other))
                    {
                        return false;
                    }
                }
                return count == b.EnumerateObject().Count();
            default:
                return true; // null, true, false
        }
    }

    /// <summary>Reads a number exactly; false when it does not fit a decimal (then it is compared as text).</summary>
    public static bool TryGetNumber(JsonElement value, out decimal number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number
            && decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public static bool IsInteger(JsonElement value) =>
        TryGetNumber(value, out var n) ? decimal.Truncate(n) == n : value.TryGetDouble(out var d) && Math.Floor(d) == d;

    /// <summary>Compact JSON, cut short when long.</summary>
    public static string Show(JsonElement value)
    {
        var text = JsonSerializer.Serialize(value, Compact);
        return text.Length <= MaxShown ? text : string.Concat(text.AsSpan(0, MaxShown - 1), "…");
    }

    /// <summary>A few values, then how many more.</summary>
    public static string ShowList(IReadOnlyList<JsonElement> values, int max = 5)
    {
        var shown = string.Join(", ", values.Take(max).Select(Show));
        return values.Count > max ? $"{shown} (and {values.Count - max} more)" : shown;
    }

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Text;
using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>
/// The field-level reads of the job event decoder: names, strings and integers, each returning "&lt;path&gt;: &lt;rule&gt;"
/// instead of throwing for a value of the wrong kind.
/// </summary>
internal static class JsonFieldReader
{
    /// <summary>The unescaped bytes of the current property name (escaped names are rare and copied).</summary>
    public static ReadOnlySpan<byte> NameOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }
        var buffer = new byte[reader.ValueSpan.Length];
        try
        {
            return buffer.AsSpan(0, reader.CopyString(buffer));
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot be a known field; SkipUnknown reports it.
            return [];
        }
    }

    /// <summary>Skips the value of a field Courier does not know (forward compatibility), refusing a repeated key.</summary>
    public static string? SkipUnknown(ref Utf8JsonReader reader, string parentPath, ref List<string>? seenUnknown)
    {
        string name;
        try
        {
            name = reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            return $"{parentPath}: a key is not a valid string: {e.Message}";
        }
        var path = JsonPaths.Property(parentPath, name);
        seenUnknown ??= [];
        if (seenUnknown.Contains(name))
        {
            return $"{path}: duplicate key";
        }
        seenUnknown.Add(name);
        reader.Read();
        reader.Skip();
        return null;
    }

    /// <summary>
    /// A non-empty string; <paramref name="repeats"/> for a value that repeats across events (read through
    /// <see cref="RepeatedStrings"/>).
    /// </summary>
    public static string? ReadRequiredString(ref Utf8JsonReader reader, string path, out string? value, bool repeats = false)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return $"{path}: must be a string, got {JsonPaths.Kind(reader.TokenType)}";
        }
        if (reader.ValueSpan.IsEmpty)
        {
            return $"{path}: must not be empty";
        }
        return GetString(ref reader, path, out value, repeats);
    }

    /// <summary>A string or null; <paramref name="repeats"/> as for <see cref="ReadRequiredString"/>.</summary>
    public static string? ReadOptionalString(ref Utf8JsonReader reader, string path, out string? value, bool repeats = false)
    {
        value = null;
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => GetString(ref reader, path, out value, repeats),
            _ => $"{path}: must be a string, got {JsonPaths.Kind(reader.TokenType)}",
        };
    }

    public static string? ReadOptionalNonEmptyString(ref Utf8JsonReader reader, string path, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null ? null : ReadRequiredString(ref reader, path, out value);
    }

    private static string? GetString(ref Utf8JsonReader reader, string path, out string? value, bool repeats)
    {
        if (!reader.ValueIsEscaped)
        {
            value = repeats ? RepeatedStrings.Read(ref reader) : reader.GetString();
            return null;
        }
        try
        {
            value = reader.GetString();
            return null;
        }
        catch (InvalidOperationException e)
        {
            // "\ud800" is valid JSON but no valid string.
            value = null;
            return $"{path}: not a valid string: {e.Message}";
        }
    }

    public static string? ReadOptionalInt32(ref Utf8JsonReader reader, string path, out int? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt32(out var number):
                value = number;
                return null;
            case JsonTokenType.Number:
                return $"{path}: must be an integer, got {Encoding.UTF8.GetString(reader.ValueSpan)}";
            default:
                return $"{path}: must be an integer, got {JsonPaths.Kind(reader.TokenType)}";
        }
    }

    public static string QuoteValue(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonPaths.Quote(reader.GetString() ?? "");
        }
        catch (InvalidOperationException)
        {
            return "an invalid string";
        }
    }
}

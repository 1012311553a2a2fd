using System.Runtime.CompilerServices;
using System.Text.Json;
using Courier.Jobs.Codec;

namespace Courier.Jobs.Codec;

/// <summary>
/// Finds duplicate object keys in a JSON value. A duplicate is ambiguous (PHP keeps the last, other readers the
/// first), so a job whose params have one is refused at enqueue and dead-lettered at decode instead of running
/// with whichever value a reader happens to pick.
/// </summary>
internal static class DuplicateKeys
{
    // Params sit one level below the event's root, and the decoder reads the event with the default depth
    // limit of 64; a params value deeper than this could be encoded but never decoded.
    private const int MaxParamsDepth = 63;

    // The fast pass keeps the keys of the open objects on the stack and compares each new key with its
    // siblings. Objects bigger than this, or names that do not fit, go to the exact (allocating) pass.
    private const int MaxSiblingsCompared = 32;
    private const int NameBytes = 1024;
    private const int MaxNames = 128;

    /// <summary>Reader settings for params: strict JSON (no comments, no trailing commas), the params depth limit.</summary>
    public static JsonReaderOptions ParamsReaderOptions { get; } = new() { MaxDepth = MaxParamsDepth };

    /// <summary>
    /// Returns "&lt;path&gt;: duplicate key" for the first duplicate key in <paramref name="json"/>, or null when there
    /// is none. Throws <see cref="JsonException"/> if the value is not valid JSON or nests deeper than params may.
    /// </summary>
    public static string? Find(ReadOnlySpan<byte> json, string rootPath)
    {
        var reader = new Utf8JsonReader(json, ParamsReaderOptions);
        reader.Read();
        if (MayHaveDuplicates(ref reader))
        {
            return FindExactly(json, rootPath);
        }
        while (reader.Read())
        {
            // Only whitespace may follow the value; anything else throws here.
        }
        return null;
    }

    /// <summary>
    /// Reads the object or array <paramref name="reader"/> is at to its end, as <see cref="Utf8JsonReader.Skip"/> would
    /// (its syntax and depth errors throw the same way), and returns true only when sure no key in it repeats; false
    /// when one does, or the value is too big, escaped or deep to tell cheaply. Allocates nothing. One pass where
    /// skipping the value and then checking its bytes read it twice.
    /// </summary>
    public static bool SkipNoneFound(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        if (!MayHaveDuplicates(ref reader))
        {
            return true;
        }
        while (reader.CurrentDepth != depth || reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            reader.Read();
        }
        return false;
    }

    /// <summary>
    /// Fast, allocation-free check of the value <paramref name="reader"/> is at, read to its end unless the answer comes
    /// first; true when there is a duplicate or the value is too big to tell cheaply (the reader is then inside it).
    /// Its buffers are not zeroed (2.3 KB a call, every job's params): each entry is written before it is read.
    /// </summary>
    [SkipLocalsInit]
    private static bool MayHaveDuplicates(ref Utf8JsonReader reader)
    {
        Span<byte> names = stackalloc byte[NameBytes];
        Span<int> nameStart = stackalloc int[MaxNames];
        Span<int> nameLength = stackalloc int[MaxNames];
        Span<int> firstNameOfObject = stackalloc int[MaxParamsDepth + 1];
        int depth = -1, nameCount = 0, namesUsed = 0;

        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    firstNameOfObject[++depth] = nameCount;
                    break;
                case JsonTokenType.StartArray:
                    firstNameOfObject[++depth] = -1;
                    break;
                case JsonTokenType.EndObject:
                    nameCount = firstNameOfObject[depth--];
                    namesUsed = nameCount == 0 ? 0 : nameStart[nameCount - 1] + nameLength[nameCount - 1];
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.PropertyName:
                    var first = firstNameOfObject[depth];
                    var raw = reader.ValueSpan;
                    if (nameCount - first >= MaxSiblingsCompared || nameCount == MaxNames || raw.Length > NameBytes - namesUsed)
                    {
                        return true;
                    }
                    int length;
                    if (reader.ValueIsEscaped)
                    {
                        // "\u0061" and "a" are the same key; compare names unescaped.
                        if (!TryUnescape(ref reader, names[namesUsed..], out length))
                        {
                            return true;
                        }
                    }
                    else
                    {
                        raw.CopyTo(names[namesUsed..]);
                        length = raw.Length;
                    }
                    var name = names.Slice(namesUsed, length);
                    for (var k = first; k < nameCount; k++)
                    {
                        if (names.Slice(nameStart[k], nameLength[k]).SequenceEqual(name))
                        {
                            return true;
                        }
                    }
                    nameStart[nameCount] = namesUsed;
                    nameLength[nameCount] = length;
                    nameCount++;
                    namesUsed += length;
                    break;
            }
        }
        while (depth >= 0 && reader.Read());
        return false;
    }

    private static bool TryUnescape(ref Utf8JsonReader reader, scoped Span<byte> destination, out int length)
    {
        try
        {
            length = reader.CopyString(destination);
            return true;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate; the exact pass reports what it can.
            length = 0;
            return false;
        }
    }

    private static string? FindExactly(ReadOnlySpan<byte> json, string rootPath)
    {
        var reader = new Utf8JsonReader(json, ParamsReaderOptions);
        reader.Read();
        return Walk(ref reader, rootPath);
    }

    private static string? Walk(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string name;
                    try
                    {
                        name = reader.GetString()!;
                    }
                    catch (InvalidOperationException e)
                    {
                        return $"{path}: a key is not a valid string: {e.Message}";
                    }
                    var child = JsonPaths.Property(path, name);
                    if (!seen.Add(name))
                    {
                        return $"{child}: duplicate key";
                    }
                    reader.Read();
                    if (Walk(ref reader, child) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonTokenType.StartArray:
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (Walk(ref reader, JsonPaths.Index(path, index++)) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }
}

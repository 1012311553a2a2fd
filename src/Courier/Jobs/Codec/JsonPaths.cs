using System.Globalization;
using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>Builds the JSON paths and value descriptions that decode and encode errors name.</summary>
internal static class JsonPaths
{
    private const int MaxQuotedLength = 80;

    /// <summary>The path of a member: <c>$.a.b</c>, or <c>$.a['odd key']</c> when the name is not a plain identifier.</summary>
    public static string Property(string parent, string name) =>
        IsPlain(name)
            ? parent + "." + name
            : parent + "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";

    /// <summary>The path of an array element.</summary>
    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>The JSON kind of a token, as errors name it.</summary>
    public static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The JSON kind of an element, as errors name it.</summary>
    public static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>A value quoted for a message, cut short so a huge value cannot flood a log line.</summary>
    public static string Quote(string value) =>
        value.Length <= MaxQuotedLength ? "'" + value + "'" : "'" + value[..MaxQuotedLength] + "…'";

    private static bool IsPlain(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '$' && c != '-')
            {
                return false;
            }
        }
        return true;
    }
}

using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>Reads and writes <see cref="SchemaTypes"/> as JSON Schema type names.</summary>
internal static class SchemaTypeNames
{
    private static readonly (SchemaTypes Type, string Name)[] Names =
    [
        (SchemaTypes.Object, "object"),
        (SchemaTypes.Array, "array"),
        (SchemaTypes.String, "string"),
        (SchemaTypes.Number, "number"),
        (SchemaTypes.Integer, "integer"),
        (SchemaTypes.Boolean, "boolean"),
        (SchemaTypes.Null, "null"),
    ];

    public static bool TryParse(string name, out SchemaTypes type)
    {
        foreach (var (t, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                type = t;
                return true;
            }
        }
        type = SchemaTypes.None;
        return false;
    }

    /// <summary>The type of a JSON value; 1.0 is an integer, as JSON Schema counts it.</summary>
    public static SchemaTypes Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => SchemaTypes.Null,
        JsonValueKind.True or JsonValueKind.False => SchemaTypes.Boolean,
        JsonValueKind.Object => SchemaTypes.Object,
        JsonValueKind.Array => SchemaTypes.Array,
        JsonValueKind.String => SchemaTypes.String,
        JsonValueKind.Number => JsonValues.IsInteger(value) ? SchemaTypes.Integer : SchemaTypes.NonInteger,
        _ => SchemaTypes.None,
    };

    /// <summary>A declared type set as a schema would write it: <c>any</c>, <c>string</c>, <c>[string, null]</c>, <c>none</c>.</summary>
    public static string Declared(SchemaTypes types)
    {
        if (types == SchemaTypes.All)
        {
            return "any";
        }
        var names = List(types);
        return names.Count switch
        {
            0 => "none",
            1 => names[0],
            _ => "[" + string.Join(", ", names) + "]",
        };
    }

    /// <summary>What values of these types are called in a sentence: <c>null</c>, <c>strings</c>, <c>numbers that are not integers</c>.</summary>
    public static string Values(SchemaTypes types)
    {
        var words = new List<string>();
        foreach (var name in List(types))
        {
            words.Add(name switch
            {
                "null" => "null",
                "boolean" => "booleans",
                "object" => "objects",
                "array" => "arrays",
                "string" => "strings",
                "integer" => "integers",
                "number" => "numbers",
                _ => "numbers that are not integers",
            });
        }
        return words.Count switch
        {
            0 => "nothing",
            1 => words[0],
            _ => string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1],
        };
    }

    private static List<string> List(SchemaTypes types)
    {
        var names = new List<string>();
        foreach (var (t, n) in Names)
        {
            if (t == SchemaTypes.Integer && (types & SchemaTypes.Number) == SchemaTypes.Number)
            {
                continue; // already named as "number"
            }
            if ((types & t) == t)
            {
                names.Add(n);
            }
        }
        if ((types & SchemaTypes.Number) == SchemaTypes.NonInteger)
        {
            names.Add("non-integer");
        }
        return names;
    }
}

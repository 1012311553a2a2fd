using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>
/// Whether two schemas (from two documents) are the same schema: annotations ignored, references followed, order
/// ignored where it means nothing (<c>type</c>, <c>enum</c>, <c>required</c>), numbers compared by value. Used where the
/// checker cannot reason about a keyword: an unchanged keyword is compatible, a changed one is reported.
/// </summary>
internal sealed class SchemaEquality(SchemaDocument left, SchemaDocument right)
{
    private readonly HashSet<(string, string)> _assumed = [];

    public bool Schemas(SchemaSlot a, SchemaSlot b)
    {
        a = left.Deref(a);
        b = right.Deref(b);
        // Recursive schemas: a pair already being compared is assumed equal (the usual coinductive reading).
        if (!_assumed.Add((a.Pointer, b.Pointer)))
        {
            return true;
        }
        try
        {
            return Compare(a, b);
        }
        finally
        {
            _assumed.Remove((a.Pointer, b.Pointer));
        }
    }

    /// <summary>Whether keyword <paramref name="keyword"/> has the same meaning in both schemas (absent on both counts as the same).</summary>
    public bool Keyword(string keyword, SchemaSlot a, SchemaSlot b)
    {
        var inA = a.Element.ValueKind == JsonValueKind.Object && a.Element.TryGetProperty(keyword, out _);
        var inB = b.Element.ValueKind == JsonValueKind.Object && b.Element.TryGetProperty(keyword, out _);
        if (!inA || !inB)
        {
            return inA == inB;
        }
        var va = a.Child(keyword);
        var vb = b.Child(keyword);
        if (keyword == "$ref" && va.Element.ValueKind == JsonValueKind.String && vb.Element.ValueKind == JsonValueKind.String)
        {
            return References(va.Element.GetString()!, vb.Element.GetString()!);
        }
        if (SchemaKeywords.IsSchemaValued(keyword))
        {
            return Schemas(va, vb);
        }
        if (SchemaKeywords.IsSchemaArray(keyword) && va.Element.ValueKind == JsonValueKind.Array && vb.Element.ValueKind == JsonValueKind.Array)
        {
            var length = va.Element.GetArrayLength();
            if (length != vb.Element.GetArrayLength())
            {
                return false;
            }
            for (var i = 0; i < length; i++)
            {
                var index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!Schemas(new SchemaSlot(va.Element[i], va.Pointer + "/" + index), new SchemaSlot(vb.Element[i], vb.Pointer + "/" + index)))
                {
                    return false;
                }
            }
            return true;
        }
        if (SchemaKeywords.IsSchemaMap(keyword) && va.Element.ValueKind == JsonValueKind.Object && vb.Element.ValueKind == JsonValueKind.Object)
        {
            var count = 0;
            foreach (var property in va.Element.EnumerateObject())
            {
                count++;
                if (!vb.Element.TryGetProperty(property.Name, out var other)
                    || !Schemas(a.Child(keyword, property.Name, property.Value), b.Child(keyword, property.Name, other)))
                {
                    return false;
                }
            }
            return count == vb.Element.EnumerateObject().Count();
        }
        if (SchemaKeywords.IsSet(keyword) && va.Element.ValueKind == JsonValueKind.Array && vb.Element.ValueKind == JsonValueKind.Array)
        {
            return va.Element.EnumerateArray().All(x => vb.Element.EnumerateArray().Any(y => JsonValues.Equal(x, y)))
                && vb.Element.EnumerateArray().All(y => va.Element.EnumerateArray().Any(x => JsonValues.Equal(x, y)));
        }
        return JsonValues.Equal(va.Element, vb.Element);
    }

    private bool Compare(SchemaSlot a, SchemaSlot b)
    {
        var ta = Truth(a.Element);
        var tb = Truth(b.Element);
        if (ta is not null || tb is not null)
        {
            return ta == tb;
        }
        if (a.Element.ValueKind != JsonValueKind.Object || b.Element.ValueKind != JsonValueKind.Object)
        {
            return JsonValues.Equal(a.Element, b.Element);
        }
        var count = 0;
        foreach (var property in a.Element.EnumerateObject())
        {
            if (SchemaKeywords.IsAnnotation(property.Name))
            {
                continue;
            }
            count++;
            if (!Keyword(property.Name, a, b))
            {
                return false;
            }
        }
        return count == b.Element.EnumerateObject().Count(p => !SchemaKeywords.IsAnnotation(p.Name));
    }

    private bool References(string a, string b)
    {
        var resolvedA = left.TryResolve(a, out var targetA);
        var resolvedB = right.TryResolve(b, out var targetB);
        if (!resolvedA || !resolvedB)
        {
            // Unresolvable on either side: the same text on both sides is all that can be called unchanged.
            return !resolvedA && !resolvedB && string.Equals(a, b, StringComparison.Ordinal);
        }
        return Schemas(targetA, targetB);
    }

    /// <summary>true for a schema that accepts everything, false for one that accepts nothing, null otherwise.</summary>
    private static bool? Truth(JsonElement schema) => schema.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object when schema.EnumerateObject().All(p => SchemaKeywords.IsAnnotation(p.Name)) => true,
        _ => null,
    };
}

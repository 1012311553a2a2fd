using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>
/// One schema version's document: its root and the resolution of <c>$ref</c> within it — JSON pointers from the
/// root (<c>#/$defs/title</c>, <c>#</c>) and plain-name anchors (<c>#name</c> → <c>$anchor: name</c>). Other
/// references (to other documents) do not resolve; the checker then treats the schema around them as opaque.
/// </summary>
internal sealed class SchemaDocument(JsonElement root, string label)
{
    private const int MaxHops = 32;
    private Dictionary<string, SchemaSlot>? _anchors;

    public SchemaSlot Root { get; } = new(root, "");

    /// <summary>The version, as messages name it.</summary>
    public string Label { get; } = label;

    public bool TryResolve(string reference, out SchemaSlot target)
    {
        target = default;
        if (!reference.StartsWith('#'))
        {
            return false;
        }
        var fragment = Uri.UnescapeDataString(reference[1..]);
        if (fragment.Length == 0)
        {
            target = Root;
            return true;
        }
        if (fragment[0] != '/')
        {
            return Anchors().TryGetValue(fragment, out target);
        }
        var element = Root.Element;
        foreach (var raw in fragment[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(token, out var child))
            {
                element = child;
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return false;
            }
        }
        target = new SchemaSlot(element, fragment);
        return true;
    }

    /// <summary>True when <paramref name="slot"/>, dereferenced, is the <c>false</c> schema.</summary>
    public bool IsFalse(SchemaSlot slot) => SchemaNode.Read(Deref(slot)).IsFalse;

    /// <summary>True when <paramref name="slot"/>, dereferenced, accepts every value.</summary>
    public bool AcceptsEverything(SchemaSlot slot) => SchemaNode.Read(Deref(slot)).AcceptsEverything;

    /// <summary>
    /// Follows <c>$ref</c> while the schema is nothing but a reference (and annotations). A reference next to
    /// assertions, or one that does not resolve, is left in place for the caller to treat as opaque.
    /// </summary>
    public SchemaSlot Deref(SchemaSlot slot)
    {
        for (var hops = 0; hops < MaxHops; hops++)
        {
            if (slot.Element.ValueKind != JsonValueKind.Object
                || !slot.Element.TryGetProperty("$ref", out var reference)
                || reference.ValueKind != JsonValueKind.String
                || !OnlyReference(slot.Element)
                || !TryResolve(reference.GetString()!, out var target))
            {
                return slot;
            }
            slot = target;
        }
        return slot; // a cycle of bare references: left as a reference, hence opaque
    }

    /// <summary>
    /// The schema as a conjunction: a <c>$ref</c> next to other keywords is its target and the rest; any other schema
    /// is itself alone. Null when the reference does not resolve.
    /// </summary>
    public IReadOnlyList<SchemaSlot>? Conjuncts(SchemaSlot slot)
    {
        if (slot.Element.ValueKind != JsonValueKind.Object
            || !slot.Element.TryGetProperty("$ref", out var reference)
            || reference.ValueKind != JsonValueKind.String)
        {
            return [slot];
        }
        if (!TryResolve(reference.GetString()!, out var target))
        {
            return null;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in slot.Element.EnumerateObject())
            {
                if (!property.NameEquals("$ref"))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return [target, new SchemaSlot(JsonElement.Parse(buffer.WrittenSpan), slot.Pointer + "/($ref siblings)")];
    }

    private static bool OnlyReference(JsonElement schema)
    {
        foreach (var property in schema.EnumerateObject())
        {
            if (property.NameEquals("$ref") || SchemaKeywords.IsAnnotation(property.Name))
            {
                continue;
            }
            return false;
        }
        return true;
    }

    private Dictionary<string, SchemaSlot> Anchors()
    {
        if (_anchors is null)
        {
            _anchors = new Dictionary<string, SchemaSlot>(StringComparer.Ordinal);
            Collect(Root.Element, "", _anchors);
        }
        return _anchors;
    }

    private static void Collect(JsonElement element, string pointer, Dictionary<string, SchemaSlot> anchors)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("$anchor", out var anchor) && anchor.ValueKind == JsonValueKind.String)
            {
                anchors.TryAdd(anchor.GetString()!, new SchemaSlot(element, pointer));
            }
            foreach (var property in element.EnumerateObject())
            {
                Collect(property.Value, pointer + "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), anchors);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, pointer + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), anchors);
                i++;
            }
        }
    }
}

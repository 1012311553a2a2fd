using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>
/// The keywords of one (dereferenced) subschema that the compatibility checker reasons about, read once. Keywords it
/// cannot reason about — and known keywords whose value is malformed — land in <see cref="Opaque"/>, where only
/// "unchanged" is judged compatible.
/// </summary>
internal sealed class SchemaNode
{
    private static readonly HashSet<string> Handled = new(StringComparer.Ordinal)
    {
        "type", "enum", "const", "format", "pattern",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems",
        "properties", "required", "additionalProperties", "items", "$ref",
    };

    private SchemaNode(SchemaSlot slot) => Slot = slot;

    public SchemaSlot Slot { get; }

    /// <summary>True when the subschema is an object with <paramref name="keyword"/>, whatever its value.</summary>
    public bool Has(string keyword) => Slot.Element.ValueKind == JsonValueKind.Object && Slot.Element.TryGetProperty(keyword, out _);

    /// <summary>The <c>false</c> schema: nothing is valid.</summary>
    public bool IsFalse { get; private set; }

    /// <summary><c>true</c>, or an object of annotations only: everything is valid.</summary>
    public bool AcceptsEverything { get; private set; }

    /// <summary>The declared types (all when <c>type</c> is absent; none for <c>false</c>).</summary>
    public SchemaTypes Types { get; private set; } = SchemaTypes.All;

    /// <summary>The only values allowed (<c>const</c>, <c>enum</c>, or both intersected); null when any value is.</summary>
    public IReadOnlyList<JsonElement>? Values { get; private set; }

    public bool HasConst { get; private set; }

    public bool HasEnum { get; private set; }

    public JsonElement? Const { get; private set; }

    public IReadOnlyList<JsonElement>? Enum { get; private set; }

    public string? Format { get; private set; }

    public string? Pattern { get; private set; }

    public decimal? Minimum { get; private set; }

    public decimal? ExclusiveMinimum { get; private set; }

    public decimal? Maximum { get; private set; }

    public decimal? ExclusiveMaximum { get; private set; }

    public decimal? MultipleOf { get; private set; }

    public decimal? MinLength { get; private set; }

    public decimal? MaxLength { get; private set; }

    public decimal? MinItems { get; private set; }

    public decimal? MaxItems { get; private set; }

    public decimal? MinProperties { get; private set; }

    public decimal? MaxProperties { get; private set; }

    public bool UniqueItems { get; private set; }

    /// <summary>Declared properties, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, SchemaSlot>> Properties { get; private set; } = [];

    public IReadOnlyList<string> Required { get; private set; } = [];

    /// <summary><c>additionalProperties</c>; null when absent (which means <c>true</c>).</summary>
    public SchemaSlot? AdditionalProperties { get; private set; }

    /// <summary><c>items</c>; null when absent (which means <c>true</c>).</summary>
    public SchemaSlot? Items { get; private set; }

    /// <summary>A <c>$ref</c> left after dereferencing: next to assertions, or not resolvable.</summary>
    public string? Reference { get; private set; }

    /// <summary>Keywords the checker does not reason about, and known keywords with malformed values.</summary>
    public SortedDictionary<string, JsonElement> Opaque { get; } = new(StringComparer.Ordinal);

    /// <summary>The types instances can have: the declared ones, narrowed to those of the allowed values when there is a list.</summary>
    public SchemaTypes EffectiveTypes
    {
        get
        {
            if (Values is null)
            {
                return Types;
            }
            var types = SchemaTypes.None;
            foreach (var value in Values)
            {
                types |= SchemaTypeNames.Of(value);
            }
            return types & Types;
        }
    }

    /// <summary>Whether the named property is declared in <c>properties</c>.</summary>
    public bool Declares(string name) => Properties.Any(p => string.Equals(p.Key, name, StringComparison.Ordinal));

    public SchemaSlot? Property(string name)
    {
        foreach (var property in Properties)
        {
            if (string.Equals(property.Key, name, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }
        return null;
    }

    public bool Requires(string name) => Required.Contains(name, StringComparer.Ordinal);

    /// <summary>Whether the object model is closed: <c>additionalProperties: false</c>.</summary>
    public bool IsClosed => AdditionalProperties is { Element.ValueKind: JsonValueKind.False };

    public static SchemaNode Read(SchemaSlot slot)
    {
        var node = new SchemaNode(slot);
        var element = slot.Element;
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                node.AcceptsEverything = true;
                return node;
            case JsonValueKind.False:
                node.IsFalse = true;
                node.Types = SchemaTypes.None;
                return node;
            case JsonValueKind.Object:
                break;
            default:
                // Not a schema at all; only equality can judge it.
                node.Opaque["(schema)"] = element;
                return node;
        }

        var constraints = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (SchemaKeywords.IsAnnotation(property.Name))
            {
                continue;
            }
            constraints++;
            if (!Handled.Contains(property.Name) || !node.TryRead(slot, property.Name, property.Value))
            {
                node.Opaque[property.Name] = property.Value;
            }
        }
        node.AcceptsEverything = constraints == 0;
        node.Values = node.HasConst && node.Enum is { } list
            ? list.Where(v => JsonValues.Equal(v, node.Const!.Value)).ToList()
            : node.HasConst ? [node.Const!.Value] : node.Enum;
        return node;
    }

    private bool TryRead(SchemaSlot slot, string keyword, JsonElement value)
    {
        switch (keyword)
        {
            case "type":
                return TryReadTypes(value);
            case "enum":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return false;
                }
                Enum = value.EnumerateArray().ToList();
                HasEnum = true;
                return true;
            case "const":
                Const = value;
                HasConst = true;
                return true;
            case "format":
                Format = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return Format is not null;
            case "pattern":
                Pattern = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return Pattern is not null;
            case "minimum":
                return TryNumber(value, v => Minimum = v);
            case "maximum":
                return TryNumber(value, v => Maximum = v);
            case "exclusiveMinimum":
                return TryNumber(value, v => ExclusiveMinimum = v);
            case "exclusiveMaximum":
                return TryNumber(value, v => ExclusiveMaximum = v);
            case "multipleOf":
                return JsonValues.TryGetNumber(value, out var step) && step > 0 && TryNumber(value, v => MultipleOf = v);
            case "minLength":
                return TryCount(value, v => MinLength = v);
            case "maxLength":
                return TryCount(value, v => MaxLength = v);
            case "minItems":
                return TryCount(value, v => MinItems = v);
            case "maxItems":
                return TryCount(value, v => MaxItems = v);
            case "minProperties":
                return TryCount(value, v => MinProperties = v);
            case "maxProperties":
                return TryCount(value, v => MaxProperties = v);
            case "uniqueItems":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return false;
                }
                UniqueItems = value.ValueKind == JsonValueKind.True;
                return true;
            case "properties":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
                Properties = value.EnumerateObject()
                    .Select(p => KeyValuePair.Create(p.Name, slot.Child("properties", p.Name, p.Value)))
                    .ToList();
                return true;
            case "required":
                if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                {
                    return false;
                }
                Required = value.EnumerateArray().Select(v => v.GetString()!).Distinct(StringComparer.Ordinal).ToList();
                return true;
            case "additionalProperties":
                if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
                {
                    return false;
                }
                AdditionalProperties = slot.Child(keyword);
                return true;
            case "items":
                if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
                {
                    return false; // the draft-07 array form of items is not 2020-12
                }
                Items = slot.Child(keyword);
                return true;
            case "$ref":
                if (value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }
                Reference = value.GetString();
                return true;
            default:
                return false;
        }
    }

    private bool TryReadTypes(JsonElement value)
    {
        var types = SchemaTypes.None;
        if (value.ValueKind == JsonValueKind.String)
        {
            if (!SchemaTypeNames.TryParse(value.GetString()!, out types))
            {
                return false;
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !SchemaTypeNames.TryParse(item.GetString()!, out var type))
                {
                    return false;
                }
                types |= type;
            }
        }
        else
        {
            return false;
        }
        Types = types;
        return true;
    }

    private static bool TryNumber(JsonElement value, Action<decimal> set)
    {
        if (!JsonValues.TryGetNumber(value, out var number))
        {
            return false;
        }
        set(number);
        return true;
    }

    private static bool TryCount(JsonElement value, Action<decimal> set) =>
        JsonValues.TryGetNumber(value, out var number) && number >= 0 && decimal.Truncate(number) == number && TryNumber(value, set);
}

using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>A subschema and its JSON pointer in its document (the pointer tells recursion through <c>$ref</c> apart).</summary>
internal readonly record struct SchemaSlot(JsonElement Element, string Pointer)
{
    private static readonly JsonElement TrueElement = JsonElement.Parse("true");

    /// <summary>The <c>true</c> schema, standing in for an absent <c>additionalProperties</c> or <c>items</c>.</summary>
    public static SchemaSlot True { get; } = new(TrueElement, "(true)");

    public SchemaSlot Child(string keyword) => new(Element.GetProperty(keyword), Pointer + "/" + Escape(keyword));

    public SchemaSlot Child(string keyword, string name, JsonElement value) => new(value, Pointer + "/" + Escape(keyword) + "/" + Escape(name));

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}

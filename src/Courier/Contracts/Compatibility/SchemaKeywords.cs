namespace Courier.Contracts.Compatibility;

/// <summary>What the compatibility checker knows about each JSON Schema 2020-12 keyword.</summary>
internal static class SchemaKeywords
{
    // Annotations and structure: they never make an instance invalid, so a change to them is always compatible.
    // ("$id" is here too: references are resolved from the document root; embedded resources are not supported.)
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "$defs", "definitions", "$anchor", "$dynamicAnchor", "$vocabulary",
        "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
        "contentEncoding", "contentMediaType", "contentSchema",
    };

    // Keywords whose value is one schema, an array of schemas, or a map of schemas: equality looks inside them as
    // schemas (annotations ignored, references followed).
    private static readonly HashSet<string> SchemaValued = new(StringComparer.Ordinal)
    {
        "not", "if", "then", "else", "propertyNames", "contains", "additionalProperties", "items",
        "unevaluatedItems", "unevaluatedProperties",
    };

    private static readonly HashSet<string> SchemaArrays = new(StringComparer.Ordinal) { "allOf", "anyOf", "oneOf", "prefixItems" };

    private static readonly HashSet<string> SchemaMaps = new(StringComparer.Ordinal) { "properties", "patternProperties", "dependentSchemas" };

    // Arrays whose order means nothing.
    private static readonly HashSet<string> Sets = new(StringComparer.Ordinal) { "type", "enum", "required" };

    public static bool IsAnnotation(string keyword) => Annotations.Contains(keyword);

    public static bool IsSchemaValued(string keyword) => SchemaValued.Contains(keyword);

    public static bool IsSchemaArray(string keyword) => SchemaArrays.Contains(keyword);

    public static bool IsSchemaMap(string keyword) => SchemaMaps.Contains(keyword);

    public static bool IsSet(string keyword) => Sets.Contains(keyword);
}

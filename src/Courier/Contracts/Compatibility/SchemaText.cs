namespace Courier.Contracts.Compatibility;

/// <summary>How the compatibility findings show a schema's keywords: types, listed values, bounds, flags, names.</summary>
internal static class SchemaText
{
    public static string LowerText(SchemaNode node) => BoundText(node.Minimum, "minimum", node.ExclusiveMinimum, "exclusiveMinimum", "no minimum");

    public static string UpperText(SchemaNode node) => BoundText(node.Maximum, "maximum", node.ExclusiveMaximum, "exclusiveMaximum", "no maximum");

    private static string BoundText(decimal? inclusive, string inclusiveName, decimal? exclusive, string exclusiveName, string none)
    {
        var parts = new List<string>();
        if (inclusive is { } i)
        {
            parts.Add($"{inclusiveName} {JsonValues.Number(i)}");
        }
        if (exclusive is { } e)
        {
            parts.Add($"{exclusiveName} {JsonValues.Number(e)}");
        }
        return parts.Count == 0 ? none : string.Join(" and ", parts);
    }

    public static string DeclaredTypes(SchemaNode node) => node.IsFalse ? "none (the schema is false)" : SchemaTypeNames.Declared(node.Types);

    public static string DescribeValues(SchemaNode node) => (node.HasConst, node.HasEnum) switch
    {
        (true, true) => $"const {JsonValues.Show(node.Const!.Value)} with enum [{JsonValues.ShowList(node.Enum!)}]",
        (true, false) => $"const {JsonValues.Show(node.Const!.Value)}",
        (false, true) => $"enum [{JsonValues.ShowList(node.Enum!)}]",
        _ => "any value",
    };

    public static string Show(decimal? value) => value is { } v ? JsonValues.Number(v) : "none";

    public static string Flag(bool value) => value ? "true" : "false";

    public static string Quote(string text) => "'" + text + "'";
}

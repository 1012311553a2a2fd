namespace Courier.Contracts.Compatibility;

/// <summary>A lower or upper numeric bound: its value and whether the value itself is excluded.</summary>
internal readonly record struct SchemaBound(decimal Value, bool Exclusive)
{
    /// <summary>The tighter of a node's minimum and exclusiveMinimum, if any.</summary>
    public static SchemaBound? Lower(SchemaNode node, bool integersOnly)
    {
        SchemaBound? bound = node.Minimum is { } minimum ? new SchemaBound(minimum, false) : null;
        if (node.ExclusiveMinimum is { } exclusive && (bound is null || exclusive >= bound.Value.Value))
        {
            bound = new SchemaBound(exclusive, true);
        }
        // For integers, "> 0" and ">= 1" are the same bound.
        return integersOnly && bound is { } b
            ? new SchemaBound(b.Exclusive ? decimal.Floor(b.Value) + 1 : decimal.Ceiling(b.Value), false)
            : bound;
    }

    /// <summary>The tighter of a node's maximum and exclusiveMaximum, if any.</summary>
    public static SchemaBound? Upper(SchemaNode node, bool integersOnly)
    {
        SchemaBound? bound = node.Maximum is { } maximum ? new SchemaBound(maximum, false) : null;
        if (node.ExclusiveMaximum is { } exclusive && (bound is null || exclusive <= bound.Value.Value))
        {
            bound = new SchemaBound(exclusive, true);
        }
        return integersOnly && bound is { } b
            ? new SchemaBound(b.Exclusive ? decimal.Ceiling(b.Value) - 1 : decimal.Floor(b.Value), false)
            : bound;
    }
}

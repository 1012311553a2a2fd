using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Courier.Server;

/// <summary>
/// One key of the loaded configuration with its dotted path (<c>dispatcher.rules.a</c>, <c>ignore[1]</c>) and its
/// shape: null, a scalar, a list (children 0…n-1) or a mapping, children in the file's order.
/// </summary>
internal readonly record struct ConfigSection(IConfiguration Section, string Path, ConfigFileOrder Order)
{
    /// <summary>The configuration key (<c>dispatcher:rules:a</c>); empty for the root.</summary>
    public string Key => (Section as IConfigurationSection)?.Path ?? "";

    public string? Value => (Section as IConfigurationSection)?.Value;

    public bool HasChildren => Section.GetChildren().Any();

    /// <summary>No value and nothing under it (<c>key:</c> or <c>key: null</c>).</summary>
    public bool IsNull => Value is null && !HasChildren;

    /// <summary>Children that are all indexes: a list.</summary>
    public bool IsList => HasChildren && Section.GetChildren().All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>An empty value, which is what an empty list or mapping leaves.</summary>
    public bool IsEmpty => Value is "" && !HasChildren;

    /// <summary>How errors describe the value: <c>a list</c>, <c>a mapping</c>, <c>null</c> or the value quoted.</summary>
    public string Describe() => IsList ? "a list" : HasChildren ? "a mapping" : Value is null ? "null" : $"'{Value}'";

    /// <summary>The entries of a mapping in file order (keys as written, paths joined with dots).</summary>
    public IEnumerable<(string Key, ConfigSection Value)> Entries()
    {
        var path = Path;
        var order = Order;
        return Order.Sort(Section.GetChildren())
            .Select(c => (Key: order.KeyOf(c), Child: c))
            .Select(c => (c.Key, new ConfigSection(c.Child, path.Length == 0 ? c.Key : $"{path}.{c.Key}", order)));
    }

    /// <summary>The items of a list in index order, with paths <c>path[i]</c>.</summary>
    public IEnumerable<ConfigSection> Items()
    {
        var path = Path;
        var order = Order;
        return Section.GetChildren()
            .Select(c => (Index: int.Parse(c.Key, CultureInfo.InvariantCulture), Child: c))
            .OrderBy(c => c.Index)
            .Select(c => new ConfigSection(c.Child, $"{path}[{c.Index}]", order));
    }
}

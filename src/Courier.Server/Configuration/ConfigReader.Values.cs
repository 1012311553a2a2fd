using System.Globalization;

namespace Courier.Server;

/// <summary>Scalar values: strings, numbers, booleans, durations; each error names the key path.</summary>
internal sealed partial class ConfigReader
{
    private IEnumerable<(string Key, ConfigSection Value)> Map(ConfigSection node) =>
        node.IsEmpty || node.IsNull ? []
        : node.HasChildren && !node.IsList ? node.Entries()
        : throw Error(node, $"must be a mapping, got {node.Describe()}");

    /// <summary>The items of a list; an empty list is an empty value. Null when the node is not a list.</summary>
    private static IEnumerable<ConfigSection>? List(ConfigSection node) =>
        node.IsEmpty ? [] : node.IsList ? node.Items() : null;

    private string? String(ConfigSection node) =>
        node.HasChildren ? throw Error(node, $"must be a string, got {node.Describe()}") : node.Value;

    private string? NonEmptyString(ConfigSection node)
    {
        var value = String(node);
        return value is { Length: 0 } ? throw Error(node, "must not be empty") : value;
    }

    /// <summary>One of a few names, e.g. <c>sqlite</c> or <c>kafka</c>; errors name the <paramref name="noun"/> and the choices.</summary>
    private T? Choice<T>(ConfigSection node, string noun, params (string Name, T Value)[] choices) where T : struct
    {
        var text = String(node);
        if (text is null)
        {
            return null;
        }
        foreach (var (name, value) in choices)
        {
            if (name == text)
            {
                return value;
            }
        }
        throw Error(node, $"unknown {noun} '{text}' (expected {string.Join(" or ", choices.Select(c => c.Name))})");
    }

    private bool? Bool(ConfigSection node) => node switch
    {
        { IsNull: true } => null,
        { HasChildren: false } when bool.TryParse(node.Value, out var value) => value,
        _ => throw Error(node, $"must be true or false, got {node.Describe()}"),
    };

    private int? Int(ConfigSection node, int min, string? tooSmall = null)
    {
        if (node.IsNull)
        {
            return null;
        }
        if (node.HasChildren || !int.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, $"must be a whole number, got {node.Describe()}");
        }
        return value >= min ? value : throw Error(node, $"{tooSmall ?? $"must be at least {min}"}, got {value}");
    }

    private double? Factor(ConfigSection node)
    {
        if (node.IsNull)
        {
            return null;
        }
        if (node.HasChildren || !double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(node, $"must be a number, got {node.Describe()}");
        }
        return value >= 1 ? value : throw Error(node, $"must be at least 1 (delays must not shrink), got {node.Value}");
    }

    private TimeSpan? Duration(ConfigSection node, bool allowZero)
    {
        if (node.IsNull)
        {
            return null;
        }
        if (node.HasChildren)
        {
            throw Error(node, $"must be a duration ({Durations.Help}), got {node.Describe()}");
        }
        if (!Durations.TryParse(node.Value!, out var duration))
        {
            throw Error(node, $"'{node.Value}' is not a duration ({Durations.Help})");
        }
        return allowZero || duration != TimeSpan.Zero ? duration : throw Error(node, "must be longer than 0");
    }

    /// <summary>A file path, relative to the configuration file's folder.</summary>
    private string? FilePath(ConfigSection node) => NonEmptyString(node) is { } path ? Path.GetFullPath(path, directory) : null;

    private CourierConfigException Unknown(ConfigSection parent, string key, ConfigSection value) =>
        new(file, parent.Path, $"unknown key '{key}'", value.Order.LineOf(value.Key));

    private CourierConfigException Error(ConfigSection node, string problem) => Error(node, node.Path, problem);

    private CourierConfigException Error(ConfigSection node, string path, string problem) =>
        new(file, path, problem, node.Order.LineOf(node.Key));
}

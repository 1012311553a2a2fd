using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// Checks, before binding, that every key of the configuration exists in the configuration classes, holds the right
/// shape (a mapping, a list or a single value) and, for single values, a known name or a value in range
/// (<see cref="ConfigValueAttribute"/>). Every error names the key path and, when the format tells it, the line;
/// the binder would ignore an unknown key and name no path (<see cref="ConfigBinding"/>).
/// </summary>
internal sealed class ConfigShape(string file, ConfigFileOrder order)
{
    private readonly Dictionary<string, (string Path, Type Type)> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key path and type of a single value by its configuration key, once checked: what binding errors name.</summary>
    public (string Path, Type Type)? ValueAt(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Check(IConfiguration root) => Mapping(root, "", typeof(CourierConfig));

    private void Check(IConfigurationSection section, string path, Type type, ConfigValueAttribute? rule)
    {
        var children = section.GetChildren().ToList();
        if (section.Value is null && children.Count == 0)
        {
            return;
        }
        if (ConfigModel.IsSingle(type))
        {
            if (children.Count > 0)
            {
                throw Error(section, path, $"must be {ConfigModel.Expected(type)}, got {Describe(section)}");
            }
            // The binder would take any case and numbers, and leave a name it does not know unbound without a word.
            if ((Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } names && !ConfigModel.NameList(names).Contains(section.Value))
            {
                throw Error(section, path, $"unknown {ConfigModel.Noun(names)} '{section.Value}' (expected {ConfigModel.Names(names)})");
            }
            Value(section, path, type, rule);
            _values[section.Path] = (path, type);
        }
        else if (ConfigModel.ItemOf(type) is { } item)
        {
            // A single URL is a list of one; any other single value where a list belongs is a mistake.
            if ((children.Count > 0 && !IsList(children)) || (section.Value is { Length: > 0 } && item != typeof(Uri)))
            {
                throw Error(section, path, $"must be {ConfigModel.Expected(type)}, got {Describe(section)}");
            }
            _values[section.Path] = (path, type);
            foreach (var child in children)
            {
                Check(child, $"{path}[{child.Key}]", item, rule: null);
            }
        }
        else if (rule?.AllowOff == true && section.Value == "off" && children.Count == 0)
        {
            return;
        }
        else if (section.Value is { Length: > 0 } || IsList(children))
        {
            throw Error(section, path, $"must be a mapping{(rule?.AllowOff == true ? " or 'off'" : "")}, got {Describe(section)}");
        }
        else if (ConfigModel.ValueOf(type) is { } value)
        {
            foreach (var child in children)
            {
                Check(child, $"{path}.{order.KeyOf(child)}", value, ConfigValueAttribute.Anything);
            }
        }
        else
        {
            Mapping(section, path, type);
        }
    }

    private void Mapping(IConfiguration section, string path, Type type)
    {
        var keys = ConfigModel.Keys(type);
        foreach (var child in order.Sort(section.GetChildren()))
        {
            var key = order.KeyOf(child);
            if (key.Length == 0 && string.IsNullOrEmpty(child.Value) && !child.GetChildren().Any())
            {
                continue; // an empty mapping (`{}`), which the YAML reader hands over as one empty, nameless key
            }
            if (!keys.TryGetValue(key, out var property))
            {
                throw new CourierConfigException(file, path, $"unknown key '{key}'", order.LineOf(child.Path));
            }
            Check(child, path.Length == 0 ? key : $"{path}.{key}", property.PropertyType, property.GetCustomAttribute<ConfigValueAttribute>());
        }
    }

    /// <summary>The value's range (<see cref="ConfigValueAttribute"/>); what does not parse is left to the binder to refuse.</summary>
    private void Value(IConfigurationSection section, string path, Type type, ConfigValueAttribute? rule)
    {
        var text = section.Value;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) && text is "" && rule?.AllowEmpty != true)
        {
            throw Error(section, path, "must not be empty");
        }
        // The binder drops a dictionary entry whose value does not convert (a rule under dispatcher.rules with a bad
        // duration vanished silently), so a duration that does not parse is refused here, for every key alike.
        if (type == typeof(Duration) && text is not null && !Duration.TryParse(text, out _))
        {
            throw Error(section, path, $"'{text}' is not a duration ({Duration.Help})");
        }
        if (type == typeof(Duration) && Duration.TryParse(text ?? "", out var duration) && duration.TimeSpan == TimeSpan.Zero && rule?.AllowZero != true)
        {
            throw Error(section, path, "must be longer than 0");
        }
        if (type == typeof(int) && rule is { Minimum: var min } && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number < min)
        {
            throw Error(section, path, $"{rule.TooSmall ?? $"must be at least {min}"}, got {number}");
        }
    }

    private static bool IsList(List<IConfigurationSection> children) =>
        children.Count > 0 && children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));

    /// <summary>How errors describe a value: <c>a list</c>, <c>a mapping</c> or the value quoted.</summary>
    public static string Describe(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        return IsList(children) ? "a list" : children.Count > 0 ? "a mapping" : section.Value is null ? "null" : $"'{section.Value}'";
    }

    private CourierConfigException Error(IConfigurationSection section, string path, string problem) =>
        new(file, path, problem, order.LineOf(section.Path));
}

using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The shape of the configuration classes as the binder sees them: which keys a class has
/// (<see cref="ConfigurationKeyNameAttribute"/>), which types are lists, mappings by name or single values, and how
/// errors describe what a key expects.
/// </summary>
internal static class ConfigModel
{
    /// <summary>The keys of a configuration class and their properties (settable public properties).</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> Keys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .ToDictionary(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The item type of a list type, else null.</summary>
    public static Type? ItemOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ConfigList<>) ? type.GetGenericArguments()[0]
        : type.BaseType is { } parent && parent != typeof(object) ? ItemOf(parent)
        : null;

    /// <summary>The value type of a mapping by name (a dictionary with string keys), else null.</summary>
    public static Type? ValueOf(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && typeof(IEnumerable<>).MakeGenericType(typeof(KeyValuePair<,>).MakeGenericType(key, value)).IsAssignableFrom(type)
            ? value : null;

    /// <summary>A single value (string, number, boolean, name, duration, URL) rather than a list or mapping.</summary>
    public static bool IsSingle(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Duration) || type == typeof(Uri);
    }

    /// <summary>What a key of <paramref name="type"/> must be, for errors: <c>a whole number</c>, <c>a list of durations</c>….</summary>
    public static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ItemOf(type) is { } item)
        {
            return $"a list of {Plural(item)}";
        }
        return type switch
        {
            _ when type == typeof(int) => "a whole number",
            _ when type == typeof(double) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(Duration) => $"a duration ({Duration.Help})",
            _ when type == typeof(string) => "a string, number or boolean",
            _ when type == typeof(Uri) => "a URL",
            _ when type.IsEnum => $"one of {Names(type)}",
            _ => "a mapping",
        };
    }

    /// <summary>The names of an enum's values as configuration files write them.</summary>
    public static IReadOnlyList<string> NameList(Type type) => [.. Enum.GetNames(type).Select(n => n.ToLowerInvariant())];

    /// <summary>The names errors suggest: <c>sqlite or kafka</c>, <c>retryable, permanent or backpressure</c> (never <c>decode</c>).</summary>
    public static string Names(Type type)
    {
        var names = NameList(type).Where(n => type != typeof(FailureClass) || n != "decode").ToList();
        return names.Count < 2 ? string.Concat(names) : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
    }

    /// <summary>What errors call a value of an enum: <c>engine</c>, <c>mode</c>, <c>failure class</c>.</summary>
    public static string Noun(Type type) => type switch
    {
        _ when type == typeof(EngineKind) => "engine",
        _ when type == typeof(RunnerMode) => "mode",
        _ when type == typeof(FailureClass) => "failure class",
        _ when type == typeof(Courier.Recurring.CatchUp) => "catch-up policy",
        _ => type.Name.ToLower(CultureInfo.InvariantCulture),
    };

    private static string Plural(Type item) => item switch
    {
        _ when item == typeof(Duration) => "durations",
        _ when item == typeof(Uri) => "URLs",
        _ when item == typeof(FailureClass) => "failure classes",
        _ when item == typeof(string) => "host names",
        _ => item.Name.ToLower(CultureInfo.InvariantCulture) + "s",
    };
}

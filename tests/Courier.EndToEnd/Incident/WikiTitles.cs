using System.Collections.Frozen;

namespace Courier.EndToEnd.Incident;

/// <summary>
/// The test wiki's namespaces and MediaWiki's prefixed dbkey form (<c>User_talk:Alice</c>; main-namespace titles have
/// no prefix, and a colon in one is part of the title when the text before it names no namespace).
/// </summary>
internal static class WikiTitles
{
    private static readonly FrozenDictionary<string, int> Namespaces = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Talk"] = 1,
        ["User"] = 2,
        ["User_talk"] = 3,
        ["Project"] = 4,
        ["Project_talk"] = 5,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<int, string> Prefixes = Namespaces.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static string Prefixed(int ns, string dbKey) => ns == 0 ? dbKey : $"{Prefixes[ns]}:{dbKey}";

    /// <summary>Splits a prefixed title; what the fixed handler does to recover the namespace version 2 dropped.</summary>
    public static (int Namespace, string DbKey) Parse(string prefixed)
    {
        var colon = prefixed.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Namespaces.TryGetValue(prefixed[..colon], out var ns) ? (ns, prefixed[(colon + 1)..]) : (0, prefixed);
    }
}

using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The order of keys in the configuration file, which the configuration API does not keep (it sorts): rules,
/// patterns and runner pools are taken in file order. Keys only the environment sets come after, sorted.
/// </summary>
internal sealed class ConfigFileOrder
{
    private readonly Dictionary<string, int> _first = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _spelling = new(StringComparer.OrdinalIgnoreCase);
    private readonly IFileOutline _outline;

    public ConfigFileOrder(IFileOutline outline)
    {
        _outline = outline;
        var index = 0;
        foreach (var key in outline.Keys)
        {
            var segments = key.Split(ConfigurationPath.KeyDelimiter);
            for (var n = 1; n <= segments.Length; n++)
            {
                var prefix = string.Join(ConfigurationPath.KeyDelimiter, segments[..n]);
                _first.TryAdd(prefix, index);
                _spelling.TryAdd(prefix, segments[n - 1]);
            }
            index++;
        }
    }

    /// <summary>The line of a configuration key in the file, when known.</summary>
    public int? LineOf(string key) => _outline.LineOf(key);

    /// <summary>
    /// A section's key as the file spells it (<c>refreshLinks</c>, when an environment variable named it
    /// <c>REFRESHLINKS</c>), else as given.
    /// </summary>
    public string KeyOf(IConfigurationSection section) => _spelling.GetValueOrDefault(section.Path, section.Key);

    public IEnumerable<IConfigurationSection> Sort(IEnumerable<IConfigurationSection> sections) =>
        sections.Select((s, i) => (Section: s, Sorted: i))
            .OrderBy(s => _first.TryGetValue(s.Section.Path, out var at) ? at : int.MaxValue)
            .ThenBy(s => s.Sorted)
            .Select(s => s.Section);
}

using Microsoft.Extensions.Configuration;

namespace Courier.Server;

/// <summary>
/// The order of keys in the configuration file, which the configuration API does not keep (it sorts): rules,
/// patterns and runner pools are taken in file order. Keys only the environment sets come after, sorted.
/// </summary>
internal sealed class ConfigFileOrder
{
    private readonly Dictionary<string, int> _first = new(StringComparer.OrdinalIgnoreCase);
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
                _first.TryAdd(string.Join(ConfigurationPath.KeyDelimiter, segments[..n]), index);
            }
            index++;
        }
    }

    /// <summary>The line of a configuration key in the file, when known.</summary>
    public int? LineOf(string key) => _outline.LineOf(key);

    public IEnumerable<IConfigurationSection> Sort(IEnumerable<IConfigurationSection> sections) =>
        sections.Select((s, i) => (Section: s, Sorted: i))
            .OrderBy(s => _first.TryGetValue(s.Section.Path, out var at) ? at : int.MaxValue)
            .ThenBy(s => s.Sorted)
            .Select(s => s.Section);
}

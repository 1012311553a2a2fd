using Microsoft.Extensions.Configuration;
using NetEscapades.Configuration.Yaml;

namespace Courier.Server.Configuration;

/// <summary>
/// The YAML provider, completed with what the configuration file's meaning needs: YAML merge keys
/// (<c>&lt;&lt;: *defaults</c>, entries set here win), empty lists and mappings kept as empty values, nulls as
/// nulls, and the file's key order and lines (<see cref="IFileOutline"/>).
/// </summary>
internal sealed class YamlFileProvider(YamlConfigurationSource source, string file) : YamlConfigurationProvider(source), IFileOutline
{
    private const string MergeKey = "<<";
    private YamlOutline? _outline;

    public IReadOnlyList<string> Keys => _outline?.Keys ?? [];

    public int? LineOf(string key) => _outline?.LineOf(key);

    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        _outline = YamlOutline.Read(text, file);
        base.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        Merge();
        foreach (var key in _outline.Nulls)
        {
            Data[key] = null;
        }
        foreach (var key in _outline.Empties)
        {
            Data.TryAdd(key, "");
        }
    }

    /// <summary><c>a:&lt;&lt;:b</c> (and <c>a:&lt;&lt;:0:b</c>, a list of merged mappings) becomes <c>a:b</c> unless the file sets it.</summary>
    private void Merge()
    {
        var merged = Data.Keys.Where(IsMerged).Order(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var key in merged)
        {
            var value = Data[key];
            Data.Remove(key);
            var segments = key.Split(ConfigurationPath.KeyDelimiter).ToList();
            var at = segments.IndexOf(MergeKey);
            segments.RemoveAt(at);
            if (at < segments.Count - 1 && int.TryParse(segments[at], out _))
            {
                segments.RemoveAt(at);
            }
            Data.TryAdd(string.Join(ConfigurationPath.KeyDelimiter, segments), value);
        }
    }

    private static bool IsMerged(string key) => key.Split(ConfigurationPath.KeyDelimiter).Contains(MergeKey);
}

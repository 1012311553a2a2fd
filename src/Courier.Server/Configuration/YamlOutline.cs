using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Courier.Server.Configuration;

/// <summary>
/// What the flattened configuration keys of a YAML file do not tell: the order and line of each key, which values
/// are null and which collections are empty (<c>ignore: []</c>, <c>refreshLinks: {}</c>). Keys are configuration
/// paths (<c>dispatcher:rules:a</c>). Reading refuses duplicate keys and more than one document, naming the key.
/// </summary>
internal sealed class YamlOutline
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _nulls = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _empties = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _file;

    private YamlOutline(string file) => _file = file;

    /// <summary>Keys in file order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>Keys whose value is YAML null (<c>key:</c>, <c>key: ~</c>).</summary>
    public IReadOnlySet<string> Nulls => _nulls;

    /// <summary>Keys whose value is an empty list or mapping.</summary>
    public IReadOnlySet<string> Empties => _empties;

    /// <summary>The 1-based line of a key, if the file has it.</summary>
    public int? LineOf(string key) => _lines.TryGetValue(key, out var line) ? line : null;

    /// <summary>Reads the outline of <paramref name="text"/>; <paramref name="file"/> names the file in errors.</summary>
    public static YamlOutline Read(string text, string file)
    {
        var outline = new YamlOutline(file);
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return outline;
        }
        parser.Consume<DocumentStart>();
        outline.Node(parser, "");
        parser.Consume<DocumentEnd>();
        if (!parser.TryConsume<StreamEnd>(out _))
        {
            throw new CourierConfigException(file, "", "holds more than one YAML document; put everything in one");
        }
        return outline;
    }

    private void Node(IParser parser, string key)
    {
        var start = parser.Current!;
        if (key.Length > 0)
        {
            _keys.Add(key);
            _lines.TryAdd(key, (int)start.Start.Line);
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            if (scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL")
            {
                _nulls.Add(key);
            }
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            var index = 0;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                Node(parser, Child(key, index++.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            if (index == 0)
            {
                _empties.Add(key);
            }
        }
        else if (parser.TryConsume<MappingStart>(out _))
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var name = parser.Consume<Scalar>();
                if (!seen.Add(name.Value))
                {
                    throw new CourierConfigException(_file, key.Replace(':', '.'), $"duplicate key '{name.Value}'", (int)name.Start.Line);
                }
                Node(parser, Child(key, name.Value));
            }
            if (seen.Count == 0)
            {
                _empties.Add(key);
            }
        }
        else
        {
            parser.Consume<AnchorAlias>();
        }
    }

    private static string Child(string key, string name) => key.Length == 0 ? name : key + ConfigurationPath.KeyDelimiter + name;
}

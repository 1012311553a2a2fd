using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Courier.Server.Internal;

/// <summary>
/// Reads JSON or YAML text into one <see cref="ConfigNode"/> tree, so the binder and its messages are the same
/// for both formats. Duplicate keys are errors in both (YAML and JSON readers would silently keep one).
/// </summary>
internal static class ConfigTreeReader
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads JSON; null when the text holds nothing but whitespace.</summary>
    public static ConfigNode? ReadJson(string text, string file)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            return FromJson(document.RootElement, "", file);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            throw new CourierConfigException(file, "", $"not valid JSON at line {line}: {WithoutPosition(e.Message)}", line, e);
        }
    }

    /// <summary>Reads one YAML document; null when the file has none (empty, or only comments).</summary>
    public static ConfigNode? ReadYaml(string text, string file)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }
            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
            var root = FromYaml(parser, "", file, anchors);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                throw new CourierConfigException(file, "", "holds more than one YAML document; put everything in one");
            }
            return root;
        }
        catch (YamlException e)
        {
            var line = (int)e.Start.Line;
            throw new CourierConfigException(file, "", $"not valid YAML at line {line}: {WithoutPosition(e.Message)}", line, e);
        }
    }

    /// <summary>Joins key paths: <c>dispatcher</c> + <c>rules</c> → <c>dispatcher.rules</c>.</summary>
    public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static ConfigNode FromJson(JsonElement element, string path, string file)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new ConfigMap();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        throw new CourierConfigException(file, path, $"duplicate key '{property.Name}'");
                    }
                    map.Entries.Add(new(property.Name, FromJson(property.Value, Child(path, property.Name), file)));
                }
                return map;
            case JsonValueKind.Array:
                var list = new ConfigList();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    list.Items.Add(FromJson(item, $"{path}[{index++}]", file));
                }
                return list;
            case JsonValueKind.String:
                return new ConfigScalar { Kind = ConfigScalarKind.Text, Value = element.GetString()! };
            case JsonValueKind.Number:
                return new ConfigScalar { Kind = ConfigScalarKind.Number, Value = element.GetRawText() };
            case JsonValueKind.True or JsonValueKind.False:
                return new ConfigScalar { Kind = ConfigScalarKind.Boolean, Value = element.GetRawText() };
            default:
                return new ConfigScalar { Kind = ConfigScalarKind.Null, Value = "" };
        }
    }

    private static ConfigNode FromYaml(IParser parser, string path, string file, Dictionary<string, ConfigNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new CourierConfigException(file, path, $"unknown alias '*{alias.Value.Value}'", Line(alias));
        }

        ConfigNode node;
        NodeEvent start;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            start = scalar;
            node = new ConfigScalar { Kind = KindOf(scalar), Value = scalar.Value, Line = Line(scalar) };
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            start = sequenceStart;
            var list = new ConfigList { Line = Line(sequenceStart) };
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                list.Items.Add(FromYaml(parser, $"{path}[{list.Items.Count}]", file, anchors));
            }
            node = list;
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            start = mappingStart;
            node = ReadMapping(parser, mappingStart, path, file, anchors);
        }

        if (!start.Anchor.IsEmpty)
        {
            anchors[start.Anchor.Value] = node;
        }
        return node;
    }

    private static ConfigMap ReadMapping(
        IParser parser, MappingStart mappingStart, string path, string file, Dictionary<string, ConfigNode> anchors)
    {
        var map = new ConfigMap { Line = Line(mappingStart) };
        var merged = new List<ConfigMap>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.Accept<Scalar>(out var keyEvent))
            {
                throw new CourierConfigException(file, path, "keys must be plain names, not lists or mappings", Line(parser.Current!));
            }
            parser.MoveNext();
            var key = keyEvent.Value;
            var value = FromYaml(parser, Child(path, key), file, anchors);
            if (key == "<<" && keyEvent.Style == ScalarStyle.Plain)
            {
                // YAML merge key (`<<: *defaults`): entries of the merged mappings fill in keys not set here.
                merged.AddRange(value switch
                {
                    ConfigMap m => [m],
                    ConfigList l when l.Items.All(i => i is ConfigMap) => l.Items.Cast<ConfigMap>(),
                    _ => throw new CourierConfigException(file, path, "'<<' must merge a mapping or a list of mappings", Line(keyEvent)),
                });
                continue;
            }
            if (map.Entries.Exists(e => e.Key == key))
            {
                throw new CourierConfigException(file, path, $"duplicate key '{key}'", Line(keyEvent));
            }
            map.Entries.Add(new(key, value));
        }
        foreach (var source in merged)
        {
            foreach (var entry in source.Entries)
            {
                if (!map.Entries.Exists(e => e.Key == entry.Key))
                {
                    map.Entries.Add(entry);
                }
            }
        }
        return map;
    }

    private static ConfigScalarKind KindOf(Scalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain)
        {
            return ConfigScalarKind.Text;
        }
        return scalar.Value is "" or "~" or "null" or "Null" or "NULL" ? ConfigScalarKind.Null : ConfigScalarKind.Plain;
    }

    private static int Line(ParsingEvent e) => (int)e.Start.Line;

    private static string WithoutPosition(string message)
    {
        // YamlDotNet: "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): message";
        // System.Text.Json: "message LineNumber: 2 | BytePositionInLine: 4."
        var dash = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && dash > 0)
        {
            message = message[(dash + 3)..];
        }
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}

namespace Courier.Server.Internal;

/// <summary>A mapping (YAML) or object (JSON), keys in file order, no duplicates.</summary>
internal sealed class ConfigMap : ConfigNode
{
    public List<KeyValuePair<string, ConfigNode>> Entries { get; } = [];

    public override string Describe() => "a mapping";
}

namespace Courier.Server.Internal;

/// <summary>A sequence (YAML) or array (JSON).</summary>
internal sealed class ConfigList : ConfigNode
{
    public List<ConfigNode> Items { get; } = [];

    public override string Describe() => "a list";
}

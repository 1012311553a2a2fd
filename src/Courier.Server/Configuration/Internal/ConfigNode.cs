namespace Courier.Server.Internal;

/// <summary>A node of a configuration file, the same whether it came from JSON or YAML.</summary>
internal abstract class ConfigNode
{
    /// <summary>1-based line where the node starts, when the format tells (YAML).</summary>
    public int? Line { get; init; }

    /// <summary>What the node is, for messages: "a mapping", "a list", "a number"…</summary>
    public abstract string Describe();
}

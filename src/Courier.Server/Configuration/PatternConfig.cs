namespace Courier.Server;

/// <summary>A topic-pattern rule in the configuration file (<c>dispatcher.patterns.&lt;name&gt;</c>).</summary>
public sealed class PatternConfig
{
    /// <summary><c>topics</c>: a regular expression over topic names, starting with <c>^</c>.</summary>
    public required string Topics { get; init; }

    /// <summary>The rule keys (<c>concurrency</c> per matched type, <c>timeout</c>, <c>retry</c>, <c>ignore</c>).</summary>
    public RuleConfig Rule { get; init; } = new();
}

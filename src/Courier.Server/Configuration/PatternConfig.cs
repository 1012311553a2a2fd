using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// A topic-pattern rule in the configuration file (<c>dispatcher.patterns.&lt;name&gt;</c>): <c>topics</c> and the
/// keys of a rule (<c>concurrency</c> per matched type, <c>timeout</c>, <c>retry</c>, <c>ignore</c>, <c>runner</c>);
/// a pattern has no <c>partition</c>.
/// </summary>
public sealed class PatternConfig : RuleConfig
{
    /// <summary><c>topics</c>: a regular expression over topic names, starting with <c>^</c>.</summary>
    [ConfigurationKeyName("topics")]
    public string? Topics { get; init; }
}

using System.Text.RegularExpressions;
using Courier.Configuration;

namespace Courier;

/// <summary>
/// A rule for every job topic whose name matches a pattern — the original's <c>low_traffic_jobs</c>
/// (<c>/^mediawiki\.job\..*/</c> minus the topics with rules of their own). Topics that appear later are picked up.
/// Unlike the original, which shared one concurrency budget across all matched topics (so one spiky type starved
/// the rest, T267520), each matched type gets its own budget of <see cref="JobRule.Concurrency"/>.
/// </summary>
public sealed class TopicPatternRule
{
    /// <summary>The rule's name, for logs.</summary>
    public required string Name { get; set; }

    /// <summary>A regular expression over topic names, anchored with a leading <c>^</c>, e.g. <c>^mediawiki\.job\..*</c>.</summary>
    public required string Pattern { get; set; }

    /// <summary>Settings of every type the pattern matches (its <c>Type</c> is ignored). Concurrency is per type.</summary>
    public JobRule Settings { get; set; } = new() { Type = "*" };

    private Regex? _regex;

    /// <summary>True when <paramref name="topic"/> matches the pattern.</summary>
    public bool Matches(string topic) =>
        (_regex ??= new Regex(Pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)).IsMatch(topic);

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate() => OptionsProblems.ThrowFirst(Problems());

    /// <summary>What is wrong with the values, each naming the rule and the value; empty when they are valid.</summary>
    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "a topic-pattern rule has no name";
        }
        if (string.IsNullOrEmpty(Pattern) || Pattern[0] != '^')
        {
            yield return $"pattern rule '{Name}': pattern must start with '^' (a regular expression over topic names), got '{Pattern}'";
        }
        else if (RegexProblem(Pattern) is { } problem)
        {
            yield return $"pattern rule '{Name}': '{Pattern}' is not a valid regular expression: {problem}";
        }
        foreach (var settingsProblem in Settings.Problems())
        {
            yield return settingsProblem;
        }
    }

    private static string? RegexProblem(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}

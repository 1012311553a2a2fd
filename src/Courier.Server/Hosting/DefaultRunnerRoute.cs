using System.Text.RegularExpressions;

namespace Courier.Server.Hosting;

/// <summary>
/// What <c>dispatcher.defaults.runner</c> means to the dispatcher service: when the default rule names a runner pool,
/// every job topic (<c>&lt;job_topic_prefix&gt;&lt;type&gt;</c>, including topics created while it runs) without a rule of
/// its own or a matching pattern rule runs on that pool with the default rule's settings — the configuration routes
/// job types it never names. A default rule that runs in process routes nothing new: this process has handlers only
/// for the types it was given, and a type it cannot run stays in the log for a process that can.
/// </summary>
internal static class DefaultRunnerRoute
{
    /// <summary>The name of the pattern rule it adds, in logs ("Pattern rule defaults picked up job type …").</summary>
    public const string Name = "defaults";

    /// <summary>Adds, last (configured patterns match first), a pattern rule over every job topic when the default rule names a pool.</summary>
    public static void AddTo(DispatcherOptions options, TopicNames topics)
    {
        if (options.DefaultRule.Runner is null || options.PatternRules.Any(p => string.Equals(p.Name, Name, StringComparison.Ordinal)))
        {
            return;
        }
        options.PatternRules.Add(new TopicPatternRule
        {
            Name = Name,
            Pattern = "^" + Regex.Escape(topics.JobTopicPrefix),
            Settings = options.DefaultRule,
        });
    }
}

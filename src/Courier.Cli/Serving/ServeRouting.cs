using Courier.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace Courier.Cli.Serving;

/// <summary>
/// What <c>courier serve</c> checks of its rules before it starts: that they route some job type (else there is
/// nothing to serve, a configuration mistake), and it says which rules run jobs in this process without a handler
/// for them — their jobs are dead-lettered as <c>decode</c> (<c>unknown_type</c>), counted and replayable, never dropped.
/// </summary>
internal static class ServeRouting
{
    public static void Check(DispatcherOptions options, JobHandlerRegistry handlers, ILogger logger)
    {
        var types = options.AllJobTypes();
        if (types.Count == 0 && options.PatternRules.Count == 0)
        {
            throw new UsageException("nothing to serve: the configuration routes no job type (no dispatcher.rules or dispatcher.patterns, "
                + "and dispatcher.defaults names no runner pool); route job types to a runner pool (docs/operations.md, \"courier serve\"), "
                + "or pass --demo to serve the demo types.");
        }
        var known = handlers.JobTypes.ToHashSet(StringComparer.Ordinal);
        foreach (var type in types.Where(t => options.RuleFor(t).Runner is null && !known.Contains(t)))
        {
            ServeLog.NoHandler(logger, type);
        }
        foreach (var pattern in options.PatternRules.Where(p => p.Settings.Runner is null))
        {
            ServeLog.PatternInProcess(logger, pattern.Name, pattern.Pattern);
        }
    }
}

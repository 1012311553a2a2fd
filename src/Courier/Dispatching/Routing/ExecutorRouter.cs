using Courier.Canaries;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Routing;

/// <summary>
/// Sends each job type to where its rule says: the pool named by <see cref="JobRule.Runner"/>, or the executor the
/// dispatcher was given (in-process by default). The dispatcher builds one when <see cref="DispatcherOptions.RunnerPools"/>
/// is not empty and asks it for each type's executor once, when the type's state is created (<see cref="For"/>):
/// no lookup per job, and the executor a dead letter names is the one that ran the job.
/// </summary>
internal sealed class ExecutorRouter : IDisposable
{
    private readonly IJobExecutor _inProcess;
    private readonly Dictionary<string, IJobExecutor> _pools = new(StringComparer.Ordinal);

    public ExecutorRouter(IJobExecutor inProcess, DispatcherOptions options, TimeProvider timeProvider, ILogger logger,
        Func<string, string?> environment, CourierTelemetry? telemetry = null)
    {
        _inProcess = inProcess;
        try
        {
            // Only pools some rule uses: an unused pool (validated all the same) needs no connections and no key.
            var used = options.Rules.Select(r => r.Runner).Append(options.DefaultRule.Runner)
                .Concat(options.PatternRules.Select(p => p.Settings.Runner)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var pool in options.RunnerPools.Where(p => used.Contains(p.Name)))
            {
                var connections = pool.MaxConnections ?? ConnectionsFor(pool.Name, options);
                var stable = new HttpRunnerExecutor(pool, connections, timeProvider, logger, environment, telemetry);
                _pools[pool.Name] = stable;
                if (pool.Canary is { } canary)
                {
                    // A canary wraps the pool's executor and one of the same settings on the canary's runners.
                    _pools[pool.Name] = new CanaryExecutor(stable,
                        new HttpRunnerExecutor(pool.CanarySide(), connections, timeProvider, logger, environment, telemetry),
                        new CanaryController(pool.Name, canary, timeProvider, logger, telemetry));
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The executor of a rule (validated: a named pool exists).</summary>
    public IJobExecutor For(JobRule rule) =>
        rule.Runner is { } pool
            ? _pools.TryGetValue(pool, out var executor) ? executor
                : throw new InvalidOperationException($"rule '{rule.Type}': runner pool '{pool}' does not exist")
            : _inProcess;

    /// <summary>The canaries of the pools that have one.</summary>
    public IEnumerable<CanaryController> Canaries => _pools.Values.OfType<CanaryExecutor>().Select(c => c.Controller);

    /// <summary>
    /// Most requests the rules using a pool can have in flight: the sum of their budgets (a partitioned rule has one per
    /// partition). Unbounded when a pattern rule uses the pool, as its types are known only as their topics appear.
    /// </summary>
    internal static int ConnectionsFor(string pool, DispatcherOptions options)
    {
        if (options.PatternRules.Any(p => string.Equals(p.Settings.Runner, pool, StringComparison.Ordinal)))
        {
            return int.MaxValue;
        }
        long total = 0;
        foreach (var rule in options.Rules.Where(r => string.Equals(r.Runner, pool, StringComparison.Ordinal)))
        {
            total += (long)rule.Concurrency * (rule.Partition?.PartitionCount ?? 1);
        }
        if (string.Equals(options.DefaultRule.Runner, pool, StringComparison.Ordinal))
        {
            var withoutRule = options.JobTypes.Distinct(StringComparer.Ordinal)
                .Count(t => !options.Rules.Any(r => string.Equals(r.Type, t, StringComparison.Ordinal)));
            total += (long)options.DefaultRule.Concurrency * withoutRule;
        }
        return (int)Math.Clamp(total, 1, int.MaxValue);
    }

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
        {
            (pool as IDisposable)?.Dispose();
        }
    }
}

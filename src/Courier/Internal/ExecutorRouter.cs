using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Courier.Internal;

/// <summary>
/// Sends each job type to where its rule says: the pool named by <see cref="JobRule.Runner"/>, or the in-process
/// executor. The dispatcher builds one when <see cref="DispatcherOptions.RunnerPools"/> is not empty and asks it for
/// each type's executor once (<see cref="For"/>), so the executor a dead letter names is the one that ran the job.
/// </summary>
internal sealed class ExecutorRouter : IJobExecutor, IDisposable
{
    private readonly IJobExecutor _inProcess;
    private readonly DispatcherOptions _options;
    private readonly Dictionary<string, HttpRunnerExecutor> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IJobExecutor> _byType = new(StringComparer.Ordinal);

    public ExecutorRouter(IJobExecutor inProcess, DispatcherOptions options, TimeProvider timeProvider, ILogger logger,
        Func<string, string?> environment)
    {
        _inProcess = inProcess;
        _options = options;
        try
        {
            // Only pools some rule uses: an unused pool (validated all the same) needs no connections and no key.
            var used = options.Rules.Select(r => r.Runner).Append(options.DefaultRule.Runner)
                .Concat(options.PatternRules.Select(p => p.Settings.Runner)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var pool in options.RunnerPools.Where(p => used.Contains(p.Name)))
            {
                _pools[pool.Name] = new HttpRunnerExecutor(pool, pool.MaxConnections ?? ConnectionsFor(pool.Name, options),
                    timeProvider, logger, environment);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name => "router";

    /// <summary>The runner pools in use, by name.</summary>
    public IReadOnlyDictionary<string, HttpRunnerExecutor> Pools => _pools;

    /// <summary>The executor of a rule (validated: a named pool exists).</summary>
    public IJobExecutor For(JobRule rule) =>
        rule.Runner is { } pool
            ? _pools.TryGetValue(pool, out var executor) ? executor
                : throw new InvalidOperationException($"rule '{rule.Type}': runner pool '{pool}' does not exist")
            : _inProcess;

    public ValueTask<JobResult> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var executor = _byType.GetOrAdd(execution.Event.Type, static (type, state) => state.Router.For(state.Router.RuleFor(type, state.Topic)),
            (Router: this, execution.Context.Topic));
        return executor.ExecuteAsync(execution, cancellationToken);
    }

    /// <summary>The rule of a type as the dispatcher picks it: its own, else a matching pattern's, else the default.</summary>
    private JobRule RuleFor(string type, string topic)
    {
        if (_options.Rules.Any(r => string.Equals(r.Type, type, StringComparison.Ordinal)))
        {
            return _options.RuleFor(type);
        }
        return _options.PatternRules.FirstOrDefault(p => p.Matches(topic))?.Settings.WithType(type) ?? _options.RuleFor(type);
    }

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
            pool.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using Courier.Dispatching.Breaking;
using Courier.Dispatching.Monitoring;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Routing;

/// <summary>
/// What every consumed topic is to the dispatcher: the job types its rules name (with their budgets and executors),
/// the routes of their job, partitioned and retry topics, and the subscription that reads them all. Pattern rules
/// add types as their topics appear (<see cref="Resolve"/>); everything else is fixed at construction.
/// </summary>
internal sealed class RouteTable : IDisposable
{
    private readonly DispatcherOptions _options;
    private readonly TopicNames _names;
    private readonly IJobExecutor _executor;
    private readonly ExecutorRouter? _router;
    private readonly ILogger _logger;
    private readonly BreakerBoard? _breakers;
    private readonly Limiting.RateLimits? _rates;
    private readonly ConcurrentDictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TopicRoute> _routes = new(StringComparer.Ordinal);
    private readonly List<string> _subscription = [];

    public RouteTable(DispatcherOptions options, TopicNames names, IJobExecutor executor, TimeProvider timeProvider, ILogger logger,
        CourierTelemetry? telemetry = null, BreakerBoard? breakers = null, Limiting.RateLimits? rates = null)
    {
        _options = options;
        _names = names;
        _executor = executor;
        _logger = logger;
        _breakers = breakers;
        _rates = rates;
        var rules = options.AllJobTypes().Select(options.RuleFor).ToList();
        if (rules.Count == 0 && options.PatternRules.Count == 0)
        {
            throw new ArgumentException("the dispatcher has no job types: add rules, pattern rules or JobTypes to DispatcherOptions");
        }
        Tiers = new RetryTierSet(options, rules.Concat(options.PatternRules.Select(p => p.Settings)));
        // Rules naming a runner pool run on it; the others on the executor given. One HTTP executor per pool.
        _router = options.RunnerPools.Count == 0
            ? null
            : new ExecutorRouter(executor, options, timeProvider, logger, Environment.GetEnvironmentVariable, telemetry);
        foreach (var rule in rules)
        {
            var jobTopic = names.JobTopic(rule.Type);
            var type = new TypeState(rule, jobTopic, ExecutorFor(rule));
            breakers?.Attach(type);
            rates?.Attach(type);
            _types[rule.Type] = type;
            if (rule.Partition is null)
            {
                _routes[jobTopic] = new TopicRoute(type, RouteKind.Job);
            }
            else
            {
                _routes[jobTopic] = new TopicRoute(type, RouteKind.Partitioner);
                _routes[names.PartitionedTopic(jobTopic)] = new TopicRoute(type, RouteKind.Partitioned);
            }
            foreach (var tier in Tiers.Tiers)
            {
                _routes[names.RetryTopic(jobTopic, tier)] = new TopicRoute(type, RouteKind.Retry);
            }
        }
        _subscription.AddRange(_routes.Keys);
        _subscription.AddRange(options.PatternRules.Select(p => p.Pattern));
        // Every retry topic of the types governed here, whatever its tier: a tier dropped from the configuration still
        // has its records read, so a config change never strands a retry. A pattern rule may govern any job topic, so
        // with one every job topic's retries are subscribed; without, only the rules' own: a dispatcher is then not
        // assigned, and does not fetch, the retry partitions of types other dispatchers run, which on a cluster of many
        // types would be most of what it asks the brokers for (each fetch request lists every assigned partition).
        _subscription.AddRange(options.PatternRules.Count > 0
            ? [names.AnyRetryTopicPattern]
            : names.RetryTopicPatterns(rules.Select(r => names.JobTopic(r.Type))));
    }

    /// <summary>The retry delay tiers in use.</summary>
    public RetryTierSet Tiers { get; }

    /// <summary>The topics routed so far: the rules' own, and those pattern rules picked up.</summary>
    public ICollection<string> Topics => _routes.Keys;

    /// <summary>Counts pauses and resumes of any type: the consumer thread applies them when it sees this change.</summary>
    public int PauseChanges;

    /// <summary>The job type named <paramref name="name"/>, if known.</summary>
    public TypeState? Find(string name) => _types.GetValueOrDefault(name);

    /// <summary>The job types known so far.</summary>
    public ICollection<TypeState> Types => _types.Values;

    /// <summary>What the consumer subscribes to: topic names and patterns.</summary>
    public IReadOnlyList<string> Subscription => _subscription;

    /// <summary>The partitions to create a topic with: a partitioned topic's own count, else <paramref name="otherwise"/>.</summary>
    public int PartitionsOf(string topic, int otherwise) =>
        _routes.TryGetValue(topic, out var route) && route.Kind == RouteKind.Partitioned
            ? route.Type.Rule.Partition!.PartitionCount
            : otherwise;

    /// <summary>
    /// What a topic is to this dispatcher: a known route, a retry tier of a known type not configured (any more),
    /// or a job topic (or its retry tier) matched by a pattern rule — which, when <paramref name="create"/>, creates
    /// the type with its own budget. Null for a topic no rule of ours governs.
    /// </summary>
    public TopicRoute? Resolve(string topic, bool create)
    {
        if (_routes.TryGetValue(topic, out var known))
        {
            return known;
        }
        var isRetry = _names.TryParseRetryTopic(topic, out _, out var retried);
        var jobTopic = isRetry ? retried! : topic;
        if (!_names.TryParseJobTopic(jobTopic, out var typeName))
        {
            return null;
        }
        var kind = isRetry ? RouteKind.Retry : RouteKind.Job;
        if (!_types.TryGetValue(typeName, out var type))
        {
            var pattern = _options.PatternRules.FirstOrDefault(p => p.Matches(jobTopic));
            if (pattern is null)
            {
                return null;
            }
            if (!create)
            {
                var settings = pattern.Settings.WithType(typeName);
                return new TopicRoute(new TypeState(settings, jobTopic, ExecutorFor(settings)), kind);
            }
            type = _types.GetOrAdd(typeName, name =>
            {
                DispatcherLog.PatternMatched(_logger, pattern.Name, name, jobTopic);
                var settings = pattern.Settings.WithType(name);
                var created = new TypeState(settings, jobTopic, ExecutorFor(settings));
                _breakers?.Attach(created);
                _rates?.Attach(created);
                return created;
            });
        }
        var route = new TopicRoute(type, kind);
        return create ? _routes.GetOrAdd(topic, route) : route;
    }

    /// <summary>The executor a rule's jobs run on: its runner pool's, or the one the dispatcher was given.</summary>
    private IJobExecutor ExecutorFor(JobRule rule) => _router?.For(rule) ?? _executor;

    /// <summary>The canaries of the runner pools the rules use.</summary>
    public IEnumerable<Canaries.CanaryController> Canaries => _router?.Canaries ?? [];

    public void Dispose() => _router?.Dispose();
}

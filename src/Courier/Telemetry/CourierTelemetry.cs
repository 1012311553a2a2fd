using System.Diagnostics;
using System.Diagnostics.Metrics;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier;

/// <summary>
/// Courier's instruments. One name, <c>Courier</c>, is shared by the <see cref="Meter"/> and the
/// <see cref="ActivitySource"/>; tags are low-cardinality (job type, outcome, class, engine), never a job id. Tags
/// that come from input — a job's type, a topic's name — are bounded here, whoever records them: a value not known
/// to this process becomes <c>unknown</c> (<see cref="JobTypes"/>, <see cref="Topics"/>).
/// </summary>
public sealed class CourierTelemetry : IDisposable
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "Courier";

    private readonly Meter _meter;
    private readonly TagBounds _bounds;
    private Func<IEnumerable<Measurement<long>>>? _backlog;
    private Func<IEnumerable<Measurement<long>>>? _lag;
    private Func<IEnumerable<Measurement<double>>>? _oldestPending;
    private Func<IEnumerable<Measurement<long>>>? _paused;
    private Func<IEnumerable<Measurement<long>>>? _probesMissing;
    private Func<IEnumerable<Measurement<long>>>? _canaryWeights;
    private Func<IEnumerable<Measurement<long>>>? _breakers;
    private Func<Measurement<long>>? _droppedKeys;

    /// <summary>
    /// Creates the instruments from a meter factory (or a private meter when none is given, for tools and tests); the
    /// logger factory receives the one warning of a full <see cref="LabelBound"/>.
    /// </summary>
    /// <remarks>
    /// The hosts export the meter of their own container's factory only, so each host's instruments reach its own
    /// <c>/metrics</c> and no other's; a private meter reaches none (a tool or test listens to it by name).
    /// </remarks>
    public CourierTelemetry(IMeterFactory? meterFactory = null, ILoggerFactory? loggerFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CourierTelemetry>();
        JobTypes = new LabelBound(TagBounds.JobType, logger);
        Topics = new LabelBound(TagBounds.Topic, logger);
        _bounds = new TagBounds(JobTypes, Topics);
        ActivitySource = new ActivitySource(Name);
        Enqueued = Counter("courier.jobs.enqueued", "{job}", "Jobs appended to the log by the client.");
        Outcomes = Counter("courier.jobs.outcomes", "{job}",
            "Executions by outcome (succeeded, retried, dead_lettered, ignored, backpressure) and failure class.");
        DeadLetters = Counter("courier.jobs.dead_letters", "{job}", "Jobs written to the error topic, by class.");
        Retries = Counter("courier.jobs.retries", "{job}", "Retry records produced, by class.");
        DecodeFailures = Counter("courier.jobs.decode_failures", "{job}",
            "Jobs dead-lettered with class decode, by job type and reason (malformed, unknown_type, unknown_version, "
            + "missing_version, no_schema, schema_mismatch, converter, binding, executor, delay_too_far).");
        IntakeEvents = Counter("courier.intake.events", "{event}",
            "Events posted to the intake endpoint, by outcome (accepted, rejected) and, when rejected, reason.");
        Duration = new(_meter.CreateHistogram<double>("courier.job.duration", "s", "Execution time of one attempt.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300] }), _bounds);
        StartDelay = new(_meter.CreateHistogram<double>("courier.job.start_delay", "s",
            "Time from enqueue (meta.dt) to the start of the first attempt.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600] }), _bounds);
        RunnerResponses = Counter("courier.runner.responses", "{response}",
            "Answers of HTTP runners to the dispatcher's requests, by job type, runner pool and status code; error.type "
            + "(timeout, connection) when there was no answer.");
        ProbeResults = Counter("courier.probes.results", "{probe}",
            "Results of synthetic probe jobs, by job type, result (succeeded, failed) and the release that ran them.");
        Replayed = Counter("courier.jobs.replayed", "{job}", "Replayed dead letters read back from a job topic by the dispatcher.");
        LogErrors = _meter.CreateCounter<long>("courier.log.errors", "{error}",
            "Job-log operations that failed (consume, produce, commit), by operation; each one is also logged.");
        StateErrors = _meter.CreateCounter<long>("courier.state.errors", "{error}",
            "State-store operations that failed (deduplication, supersession, recurring ticks, cancellations, rate limits), by "
            + "store and operation; the dispatcher failed open (ran the job) and logged each one.");
        _meter.CreateObservableCounter("courier.state.dropped_keys", () => _droppedKeys is { } read ? [read()] : (Measurement<long>[])[],
            "{key}", "Keys the state store dropped before they expired to stay within its size bound (the embedded store past "
            + "max_entries: remembered outcomes, oldest first), by store; a job whose key was dropped may run twice.");
        InFlight = new(_meter.CreateUpDownCounter<long>("courier.jobs.in_flight", "{job}", "Executions running now."), _bounds);
        _meter.CreateObservableGauge("courier.backlog", () => _bounds.Apply(_backlog?.Invoke() ?? [], Sum), "{record}",
            "Records not yet committed by the dispatcher, per topic.");
        _meter.CreateObservableGauge("courier.consumer.lag", () => _bounds.Apply(_lag?.Invoke() ?? [], Sum), "{record}",
            "Consumer lag of the dispatcher's group per topic partition (high watermark minus committed offset).");
        _meter.CreateObservableGauge("courier.jobs.oldest_pending_age", () => _bounds.Apply(_oldestPending?.Invoke() ?? [], Math.Max), "s",
            "Age of the oldest job the dispatcher has taken and not finished, per job type.");
        _meter.CreateObservableGauge("courier.jobs.paused", () => _bounds.Apply(_paused?.Invoke() ?? [], Math.Max), "{type}",
            "1 while the dispatcher has a job type's consumption paused, 0 while it runs; one series per known job type.");
        _meter.CreateObservableGauge("courier.probes.missing", () => _bounds.Apply(_probesMissing?.Invoke() ?? [], Math.Max), "{type}",
            "1 while a job type this dispatcher probes has had no probe result for three intervals, else 0; one series per probed type.");
        _meter.CreateObservableGauge("courier.canary.weight", () => _canaryWeights?.Invoke() ?? [], "{percent}",
            "Percent of a runner pool's jobs its canary release gets now (0 once rolled back, 100 once promoted).");
        CanaryRollbacks = _meter.CreateCounter<long>("courier.canary.rollbacks", "{rollback}",
            "Canary releases of runner pools rolled back by their judgement, by pool and release.");
        BreakerTransitions = Counter("courier.breaker.transitions", "{transition}",
            "Circuit breaker state changes, by job type and the state entered (open, half_open, closed).");
        _meter.CreateObservableGauge("courier.breaker.state", () => _bounds.Apply(_breakers?.Invoke() ?? [], Math.Max), "{state}",
            "A job type's circuit breaker: 0 closed, 1 open (the type is paused), 2 half-open (a few jobs on trial).");
    }

    /// <summary><c>courier.canary.rollbacks</c> {runner.pool, release}.</summary>
    public Counter<long> CanaryRollbacks { get; }

    /// <summary>Sets where the <c>courier.canary.weight</c> gauge reads from (the dispatcher does).</summary>
    public void ObserveCanaryWeights(Func<IEnumerable<Measurement<long>>> weights) => _canaryWeights = weights;

    /// <summary>
    /// The values the <c>job.type</c> tag keeps: the types this process knows (a handler, a rule or a params schema,
    /// learnt by the client, the dispatcher and <c>AddCourier</c>), plus up to 100 that only a topic pattern rule
    /// matches; any other type is recorded as <c>unknown</c>.
    /// </summary>
    public LabelBound JobTypes { get; }

    /// <summary>
    /// The values the topic tag (<c>messaging.destination.name</c>) keeps: the dispatcher's own topics, plus up to 100
    /// others it consumes (topics of pattern rules' types, which producers and the intake create); the rest are
    /// <c>unknown</c>.
    /// </summary>
    public LabelBound Topics { get; }

    /// <summary>Traces (one activity per execution).</summary>
    public ActivitySource ActivitySource { get; }

    /// <summary><c>courier.jobs.enqueued</c> {type}.</summary>
    public BoundedCounter<long> Enqueued { get; }

    /// <summary><c>courier.jobs.outcomes</c> {type, outcome, class, release (<see cref="CourierOptions.Release"/>)}.</summary>
    public BoundedCounter<long> Outcomes { get; }

    /// <summary><c>courier.jobs.dead_letters</c> {type, class}.</summary>
    public BoundedCounter<long> DeadLetters { get; }

    /// <summary><c>courier.jobs.retries</c> {type, class}.</summary>
    public BoundedCounter<long> Retries { get; }

    /// <summary>
    /// <c>courier.jobs.decode_failures</c> {type, reason}: jobs that could not become a job (dead-lettered with class
    /// <c>decode</c>), beside <c>courier.jobs.dead_letters</c>, which counts them too. Alert on any increase.
    /// </summary>
    public BoundedCounter<long> DecodeFailures { get; }

    /// <summary><c>courier.intake.events</c> {outcome, reason, type}: events posted to <c>POST /v1/events</c>.</summary>
    public BoundedCounter<long> IntakeEvents { get; }

    /// <summary><c>courier.job.duration</c> {type, outcome}.</summary>
    public BoundedHistogram<double> Duration { get; }

    /// <summary><c>courier.job.start_delay</c> {type}.</summary>
    public BoundedHistogram<double> StartDelay { get; }

    /// <summary>
    /// <c>courier.runner.responses</c> {type, <c>runner.pool</c>, <c>http.response.status_code</c> | <c>error.type</c>}: every
    /// answer of an HTTP runner as the dispatcher saw it, 4xx included, so runners without a Courier meter (MediaWiki's)
    /// can be alerted on.
    /// </summary>
    public BoundedCounter<long> RunnerResponses { get; }

    /// <summary><c>courier.probes.results</c> {type, <c>result</c> = succeeded | failed, <c>release</c>}: synthetic probes' results.</summary>
    public BoundedCounter<long> ProbeResults { get; }

    /// <summary><c>courier.jobs.replayed</c> {type}.</summary>
    public BoundedCounter<long> Replayed { get; }

    /// <summary><c>courier.log.errors</c> {operation}: broker or store failures the dispatcher rode out.</summary>
    public Counter<long> LogErrors { get; }

    /// <summary>
    /// <c>courier.state.errors</c> {<c>store</c>, <c>operation</c>}: state-store failures the dispatcher failed open on
    /// (the job ran: a duplicate may have run twice).
    /// </summary>
    public Counter<long> StateErrors { get; }

    /// <summary><c>courier.jobs.in_flight</c> {type}.</summary>
    public BoundedCounter<long> InFlight { get; }

    /// <summary><c>courier.breaker.transitions</c> {type, to}.</summary>
    public BoundedCounter<long> BreakerTransitions { get; }

    /// <summary>Sets where the backlog gauge reads from (the dispatcher does).</summary>
    public void ObserveBacklog(Func<IEnumerable<Measurement<long>>> backlog) => _backlog = backlog;

    /// <summary>Sets where the lag and oldest-pending gauges read from (the dispatcher does).</summary>
    public void ObserveLag(Func<IEnumerable<Measurement<long>>> lag, Func<IEnumerable<Measurement<double>>> oldestPending)
    {
        _lag = lag;
        _oldestPending = oldestPending;
    }

    /// <summary>Sets where the <c>courier.jobs.paused</c> gauge reads from (the dispatcher does).</summary>
    public void ObservePaused(Func<IEnumerable<Measurement<long>>> paused) => _paused = paused;

    /// <summary>Sets where the <c>courier.probes.missing</c> gauge reads from (the dispatcher does).</summary>
    public void ObserveProbesMissing(Func<IEnumerable<Measurement<long>>> missing) => _probesMissing = missing;

    /// <summary>Sets where the <c>courier.state.dropped_keys</c> counter reads from (the dispatcher does, from its store).</summary>
    public void ObserveDroppedKeys(Func<Measurement<long>> droppedKeys) => _droppedKeys = droppedKeys;

    /// <summary>Sets where the <c>courier.breaker.state</c> gauge reads from (the dispatcher does).</summary>
    public void ObserveBreakers(Func<IEnumerable<Measurement<long>>> breakers) => _breakers = breakers;

    private BoundedCounter<long> Counter(string name, string unit, string description) =>
        new(_meter.CreateCounter<long>(name, unit, description), _bounds);

    private static long Sum(long a, long b) => a + b;

    /// <inheritdoc />
    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}

using System.Diagnostics.Metrics;
using Courier.Dispatching.Outcomes;
using Microsoft.Extensions.Logging;

namespace Courier.Canaries;

/// <summary>
/// The state of one runner pool's canary: its weight (the step it is at), the window both sides are judged on, and
/// the verdicts that promote it step by step or roll it back. Judged on every attempt recorded and on every status
/// read, so a step is promoted by traffic or probes, never by a timer of its own. Thread-safe.
/// </summary>
/// <remarks>
/// A rollback is per process and stays until <see cref="Reset"/> (<c>courier canary reset</c>) or a restart with
/// the configuration, which a new canary release comes with anyway.
/// </remarks>
internal sealed class CanaryController
{
    private const int MaxErrors = 100;

    private readonly string _pool;
    private readonly CanaryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CourierTelemetry? _telemetry;
    private readonly HashSet<string> _always;
    private readonly Lock _lock = new();
    private readonly CanaryWindow _window;
    private readonly MessageCounts _errors = new(MaxErrors);
    private readonly List<CanaryTransition> _history = [];
    private CanaryState _state = CanaryState.Judging;
    private int _step;
    private int _weight;
    private long _stepAttempts;
    private DateTimeOffset _since;
    private CanaryVerdict _verdict;
    private string? _announced;

    public CanaryController(string pool, CanaryOptions options, TimeProvider time, ILogger logger, CourierTelemetry? telemetry)
    {
        _pool = pool;
        _options = options;
        _time = time;
        _logger = logger;
        _telemetry = telemetry;
        _always = new HashSet<string>(options.Databases, StringComparer.Ordinal);
        _window = new CanaryWindow(options.Judge.Interval, options.Judge.Intervals);
        _weight = options.Steps[0];
        _since = time.GetUtcNow();
        _verdict = new CanaryVerdict(false, false, "waiting: no canary attempts yet", []);
        _history.Add(new CanaryTransition(_state, _weight, _since, "started"));
        CanaryLog.Started(logger, pool, Release, _weight, options.Slice.ToString());
    }

    /// <summary>The percent of jobs the canary gets now.</summary>
    public int Weight => Volatile.Read(ref _weight);

    /// <summary>The canary's release: configured, else announced, else <c>unknown</c>.</summary>
    public string Release => _options.Release ?? Volatile.Read(ref _announced) ?? "unknown";

    /// <summary>True while the canary is judged (not rolled back, not promoted): probes go to both sides then.</summary>
    public bool IsJudging => Volatile.Read(ref _weight) is > 0 and < 100;

    /// <summary>True when <paramref name="job"/> goes to the canary at the current weight.</summary>
    public bool Routes(JobEvent job)
    {
        var weight = Weight;
        if (weight == 0)
        {
            return false;
        }
        var key = CanarySlicer.KeyOf(job, _options.Slice);
        return (_options.Slice == CanarySliceKind.Database && _always.Contains(key)) || CanarySlicer.ToCanary(key, weight);
    }

    /// <summary>Counts one attempt of <paramref name="type"/> on a side and judges again.</summary>
    public void Record(string type, bool canary, JobResult result)
    {
        if (result.Failure == FailureClass.Backpressure)
        {
            return; // says nothing about the release's handlers
        }
        lock (_lock)
        {
            if (canary && result.Release is { } release && _options.Release is null)
            {
                Volatile.Write(ref _announced, release);
            }
            var now = _time.GetUtcNow();
            _window.Add(type, canary, !result.IsSuccess, now);
            _stepAttempts += canary ? 1 : 0;
            if (canary && !result.IsSuccess && result.Message is { } message)
            {
                _errors.Add(message);
            }
            Evaluate(now);
        }
    }

    /// <summary>Judges again and says where the canary is.</summary>
    public CanaryStatus Status()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            Evaluate(now);
            return new CanaryStatus
            {
                Pool = _pool,
                Release = _options.Release ?? _announced,
                State = _state,
                Weight = _weight,
                Stable = _window.Totals(CanaryWindow.Overall, canary: false, now),
                Canary = _window.Totals(CanaryWindow.Overall, canary: true, now),
                Verdict = _verdict,
                Since = _since,
                History = [.. _history],
                TopErrors = TopErrors(),
            };
        }
    }

    /// <summary>Starts judging again from the first step, with an empty window.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _window.Clear();
            _errors.Clear();
            _step = 0;
            _stepAttempts = 0;
            _state = CanaryState.Judging;
            _since = _time.GetUtcNow();
            _verdict = new CanaryVerdict(false, false, "reset: judging again", []);
            Volatile.Write(ref _weight, _options.Steps[0]);
            _history.Add(new CanaryTransition(_state, _weight, _since, "reset"));
            CanaryLog.Reset(_logger, _pool, Release, _weight);
        }
    }

    /// <summary>The <c>courier.canary.weight</c> measurement.</summary>
    public Measurement<long> WeightMeasurement() =>
        new(Weight, new KeyValuePair<string, object?>("runner.pool", _pool), new KeyValuePair<string, object?>("release", Release));

    private void Evaluate(DateTimeOffset now)
    {
        if (_state is CanaryState.RolledBack or CanaryState.Promoted)
        {
            return;
        }
        _verdict = CanaryJudge.Judge(_window, _options, now);
        if (_verdict.Failing)
        {
            RollBack(now);
        }
        else if (_stepAttempts >= _options.Gate.MinSamples && now - _since >= _options.StepAfter)
        {
            Promote(now);
        }
    }

    private void RollBack(DateTimeOffset now)
    {
        var from = _weight;
        _state = CanaryState.RolledBack;
        _since = now;
        Volatile.Write(ref _weight, 0);
        _history.Add(new CanaryTransition(_state, 0, now, _verdict.Reason));
        CanaryLog.RolledBack(_logger, _pool, Release, from, _verdict.Reason, string.Join(" | ", TopErrors()));
        _telemetry?.CanaryRollbacks.Add(1, new KeyValuePair<string, object?>("runner.pool", _pool), new KeyValuePair<string, object?>("release", Release));
    }

    private void Promote(DateTimeOffset now)
    {
        var from = _weight;
        _step++;
        _since = now;
        Volatile.Write(ref _weight, _options.Steps[_step]);
        _stepAttempts = 0;
        _state = _weight == 100 ? CanaryState.Promoted : CanaryState.Promoting;
        _history.Add(new CanaryTransition(_state, _weight, now, _verdict.Reason));
        CanaryLog.Promoted(_logger, _pool, Release, from, _weight, _verdict.Reason);
    }

    private IReadOnlyList<string> TopErrors() =>
        [.. _errors.Top(5).Select(e => $"{e.Count}× {e.Message}")];
}

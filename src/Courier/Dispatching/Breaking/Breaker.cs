using System.Globalization;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Routing;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Breaking;

/// <summary>
/// One job type's circuit breaker (<see cref="BreakerPolicy"/>). Closed, it counts the type's outcomes in an
/// <see cref="OutcomeWindow"/>; past the failure ratio it opens: it pauses the type (as <see cref="PauseHolder.Breaker"/>,
/// beside any operator's pause) for the open period. Then it goes half-open: its pause ends with a bounded start
/// allowance, and the outcomes of those jobs close it or re-open it for twice as long. Thread-safe: outcomes arrive on
/// the workers, the open period ends on a timer of the dispatcher's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Breaker : IDisposable
{
    private readonly TypeState _type;
    private readonly BreakerPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CourierTelemetry _telemetry;
    private readonly Action _pauseChanged;
    private readonly OutcomeWindow _window;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private int _state;
    private int _trialOutcomes;
    private int _trialFailures;

    /// <param name="type">The type it guards.</param>
    /// <param name="policy">Its rule's breaker.</param>
    /// <param name="time">The dispatcher's clock.</param>
    /// <param name="logger">Where transitions are logged.</param>
    /// <param name="telemetry">Where transitions are counted.</param>
    /// <param name="pauseChanged">Tells the consumer thread that a pause or an allowance changed.</param>
    public Breaker(TypeState type, BreakerPolicy policy, TimeProvider time, ILogger logger, CourierTelemetry telemetry, Action pauseChanged)
    {
        _type = type;
        _policy = policy;
        _time = time;
        _logger = logger;
        _telemetry = telemetry;
        _pauseChanged = pauseChanged;
        _window = new OutcomeWindow(policy.Window);
        OpenFor = policy.OpenFor;
        _timer = time.CreateTimer(static self => ((Breaker)self!).EndOpenPeriod(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The state now.</summary>
    public BreakerState State => (BreakerState)Volatile.Read(ref _state);

    /// <summary>How long the current (or next) opening lasts: the policy's, doubled by each failed trial up to its maximum.</summary>
    public TimeSpan OpenFor { get; private set; }

    /// <summary>True while failures of the type are held: the breaker is open or half-open.</summary>
    public bool HoldsFailures => State != BreakerState.Closed;

    /// <summary>
    /// Counts one outcome of the type and changes state when it must. A success while the breaker is closed and its
    /// window holds no failure changes nothing but a count, and is added without the lock: one interlocked increment
    /// where the lock cost most outcomes of a healthy type an enter and an exit, and a wait whenever two workers met.
    /// </summary>
    public void Observe(in OutcomeSample sample)
    {
        var isFailure = sample.IsFailure;
        var counts = isFailure || sample.Outcome == "succeeded";
        if (counts && !isFailure && State == BreakerState.Closed && _window.TryAddSuccess(sample.At))
        {
            // Should the breaker open between the read and the add, the success lands in a window that is not read
            // while the breaker is open and is emptied when it closes.
            return;
        }
        lock (_lock)
        {
            switch (State)
            {
                case BreakerState.Closed when counts:
                    _window.Add(sample.At, sample.IsFailure, sample.Message);
                    var (attempts, failures) = _window.Totals(sample.At);
                    if (attempts >= _policy.MinSamples && failures > _policy.FailureRatio * attempts)
                    {
                        Open($"breaker: {failures} of {attempts} attempts failed in {Span(_window.Window)} (top: {_window.TopMessage(sample.At)})");
                    }
                    break;
                case BreakerState.HalfOpen when counts:
                    _trialOutcomes++;
                    _trialFailures += sample.IsFailure ? 1 : 0;
                    if (_trialOutcomes >= _policy.HalfOpenJobs)
                    {
                        JudgeTrial();
                    }
                    break;
                case BreakerState.HalfOpen:
                    _type.GiveBackStart(); // backpressure or ignored says nothing about the type: let another job try
                    _pauseChanged();
                    break;
            }
        }
    }

    /// <summary>
    /// Closes the breaker and forgets its window (an operator resumed the type): its pause ends, its allowance is lifted.
    /// </summary>
    public void Reset()
    {
        lock (_lock)
        {
            if (State != BreakerState.Closed)
            {
                Close("reset by an operator's resume");
            }
            _window.Clear();
            OpenFor = _policy.OpenFor;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Open(string reason)
    {
        _timer.Change(OpenFor, Timeout.InfiniteTimeSpan);
        _type.SetStartAllowance(-1);
        _type.TryResume(PauseHolder.Breaker);
        _type.TryPause(PauseHolder.Breaker, reason, _time.GetUtcNow());
        Transition(BreakerState.Open);
        BreakerLog.Opened(_logger, _type.Name, OpenFor, reason);
    }

    private void EndOpenPeriod()
    {
        lock (_lock)
        {
            if (State != BreakerState.Open)
            {
                return;
            }
            _trialOutcomes = _trialFailures = 0;
            _type.SetStartAllowance(_policy.HalfOpenJobs);
            _type.TryResume(PauseHolder.Breaker);
            Transition(BreakerState.HalfOpen);
            BreakerLog.HalfOpen(_logger, _type.Name, _policy.HalfOpenJobs);
        }
    }

    private void JudgeTrial()
    {
        if (_trialFailures > _policy.FailureRatio * _trialOutcomes)
        {
            OpenFor = TimeSpan.FromTicks(Math.Min(OpenFor.Ticks * 2, _policy.MaxOpenFor.Ticks));
            Open($"breaker: {_trialFailures} of {_trialOutcomes} trial jobs failed; open again for {Span(OpenFor)}");
            return;
        }
        Close($"{_trialOutcomes - _trialFailures} of {_trialOutcomes} trial jobs succeeded");
    }

    private void Close(string why)
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _window.Clear();
        OpenFor = _policy.OpenFor;
        _type.SetStartAllowance(-1);
        _type.TryResume(PauseHolder.Breaker);
        Transition(BreakerState.Closed);
        BreakerLog.Closed(_logger, _type.Name, why);
    }

    private void Transition(BreakerState to)
    {
        Volatile.Write(ref _state, (int)to);
        _telemetry.BreakerTransitions.Add(1, new KeyValuePair<string, object?>("job.type", _type.Name),
            new KeyValuePair<string, object?>("to", to.ToWireName()));
        _pauseChanged();
    }

    /// <summary>A duration as people write it: 2h, 1m, 90s, 250ms.</summary>
    private static string Span(TimeSpan span) =>
        span.TotalMinutes >= 60 && span.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours}h")
        : span.TotalSeconds >= 60 && span.Ticks % TimeSpan.TicksPerMinute == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes}m")
        : span.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds}ms");
}

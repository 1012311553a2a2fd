using System.Collections.Concurrent;
using System.Collections.Frozen;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier;

/// <summary>
/// Bounds the values one label of the <c>Courier</c> meter takes when they come from input (a job's type, a topic's
/// name), so that nobody can add series by sending new strings. A value is kept when it is known (<see cref="Know(Func{string, bool})"/>:
/// a handler, a rule, a params schema); a value that only <see cref="Admit"/> accepts (a type only a topic pattern rule
/// matches) is kept while fewer than <see cref="MaxAdmitted"/> such values have been seen; every other value is
/// <see cref="Unknown"/>. The first value refused for the bound is logged once, at warning.
/// </summary>
public sealed class LabelBound
{
    /// <summary>The one value that stands for every value not kept.</summary>
    public const string Unknown = "unknown";

    /// <summary>How many admitted (not known) values are kept by default.</summary>
    public const int DefaultMaxAdmitted = 100;

    private readonly string _label;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _kept = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Func<string, bool>[] _known = [];
    private Func<string, bool>[] _admissible = [];
    private int _admitted;
    private int _warned;

    internal LabelBound(string label, ILogger logger, int maxAdmitted = DefaultMaxAdmitted)
    {
        _label = label;
        _logger = logger;
        MaxAdmitted = maxAdmitted;
    }

    /// <summary>How many values only <see cref="Admit"/> accepts are kept before the rest become <see cref="Unknown"/>.</summary>
    public int MaxAdmitted { get; }

    /// <summary>Values for which <paramref name="isKnown"/> is true are always kept. It must be cheap and thread-safe.</summary>
    public void Know(Func<string, bool> isKnown)
    {
        ArgumentNullException.ThrowIfNull(isKnown);
        lock (_gate)
        {
            _known = [.. _known, isKnown];
        }
    }

    /// <summary>These values are always kept.</summary>
    public void Know(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var set = values.ToFrozenSet(StringComparer.Ordinal);
        if (set.Count > 0)
        {
            Know(set.Contains);
        }
    }

    /// <summary>Values for which <paramref name="mayKeep"/> is true are kept up to <see cref="MaxAdmitted"/> of them.</summary>
    public void Admit(Func<string, bool> mayKeep)
    {
        ArgumentNullException.ThrowIfNull(mayKeep);
        lock (_gate)
        {
            _admissible = [.. _admissible, mayKeep];
        }
    }

    /// <summary>The label value to record for <paramref name="value"/>: itself, or <see cref="Unknown"/>.</summary>
    public string Label(string? value)
    {
        if (value is null)
        {
            return Unknown;
        }
        if (_kept.ContainsKey(value))
        {
            return value;
        }
        foreach (var isKnown in Volatile.Read(ref _known))
        {
            if (isKnown(value))
            {
                _kept.TryAdd(value, true);
                return value;
            }
        }
        foreach (var mayKeep in Volatile.Read(ref _admissible))
        {
            if (mayKeep(value))
            {
                return TryAdmit(value);
            }
        }
        return Unknown;
    }

    private string TryAdmit(string value)
    {
        if (Interlocked.Increment(ref _admitted) > MaxAdmitted)
        {
            Interlocked.Decrement(ref _admitted);
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                TelemetryLog.LabelBoundReached(_logger, _label, MaxAdmitted, value);
            }
            return Unknown;
        }
        if (!_kept.TryAdd(value, false))
        {
            // Another thread admitted the same value first.
            Interlocked.Decrement(ref _admitted);
        }
        return value;
    }
}

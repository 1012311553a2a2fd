using Courier.Dispatching.Outcomes;

namespace Courier.Dispatching.Replays;

/// <summary>
/// The terminal outcomes of replayed copies (records carrying <see cref="CourierHeaders.ReplayOf"/>), by the replayed
/// dead letter's position, for the last <see cref="Capacity"/> copies that ended here: an outcome listener. Retries,
/// backpressure and holds are not terminal and are not kept; an older entry is forgotten when the map is full.
/// </summary>
internal sealed class ReplayOutcomes : IOutcomeListener
{
    /// <summary>Most outcomes kept.</summary>
    public const int Capacity = 10_000;

    private static readonly HashSet<string> NotTerminal = new(StringComparer.Ordinal) { "retried", "backpressure", "held" };

    private readonly Dictionary<string, ReplayOutcome> _byPosition = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public void Observe(in OutcomeSample sample)
    {
        if (sample.ReplayOf is not { } position || sample.IsProbe || NotTerminal.Contains(sample.Outcome))
        {
            return;
        }
        lock (_lock)
        {
            if (!_byPosition.ContainsKey(position))
            {
                _order.Enqueue(position);
                while (_order.Count > Capacity)
                {
                    _byPosition.Remove(_order.Dequeue());
                }
            }
            _byPosition[position] = new ReplayOutcome(sample.Outcome, sample.At);
        }
    }

    /// <summary>The outcome of the copy replayed from <paramref name="position"/> (as <c>LogPosition.Format</c> writes it), or null.</summary>
    public ReplayOutcome? Find(string position)
    {
        lock (_lock)
        {
            return _byPosition.GetValueOrDefault(position);
        }
    }
}

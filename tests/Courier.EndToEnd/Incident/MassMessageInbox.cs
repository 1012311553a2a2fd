using System.Collections.Concurrent;

namespace Courier.EndToEnd.Incident;

/// <summary>Every talk page post the handlers made, thread-safe; a job delivered twice shows up twice.</summary>
internal sealed class MassMessageInbox
{
    private readonly ConcurrentQueue<MassMessageDelivery> _deliveries = new();

    public void Deliver(MassMessageDelivery delivery) => _deliveries.Enqueue(delivery);

    public int Count => _deliveries.Count;

    public IReadOnlyList<MassMessageDelivery> Snapshot() => _deliveries.ToArray();

    public IReadOnlyDictionary<string, int> CountsById() =>
        _deliveries.GroupBy(d => d.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}

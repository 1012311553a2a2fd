namespace Courier.Server.Tests.Kafka;

/// <summary>A job log that remembers the bytes of every record its producers were handed, before the engine sees them.</summary>
internal sealed class RecordingJobLog(IJobLog inner) : DelegatingJobLog(inner)
{
    private readonly List<(string Topic, string? Key, byte[] Value)> _produced = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<(string Topic, string? Key, byte[] Value)> Produced
    {
        get
        {
            lock (_lock)
            {
                return [.. _produced];
            }
        }
    }

    public override IJobLogProducer CreateProducer() => new RecordingProducer(Inner.CreateProducer(), Record);

    private void Record(OutgoingRecord record)
    {
        lock (_lock)
        {
            // Copied now: the producer's caller may reuse the memory once the append is over.
            _produced.Add((record.Topic, record.Key, record.Value.ToArray()));
        }
    }
}

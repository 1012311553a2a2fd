using System.Collections.Concurrent;

namespace Courier.Client;

/// <summary>
/// The client's job topics: each type's topic name, computed once, and each topic created once per client so that
/// engines which do not create topics on first write accept the append. Thread-safe.
/// </summary>
internal sealed class JobTopics(IJobLog log, CourierOptions options)
{
    private readonly ConcurrentDictionary<string, string> _topicByType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _ensuredTopics = new(StringComparer.Ordinal);

    /// <summary>The job topic of a type; names are read from the options the first time a type is seen.</summary>
    public string For(string type) =>
        _topicByType.TryGetValue(type, out var topic) ? topic : _topicByType.GetOrAdd(type, options.Topics.JobTopic(type));

    /// <summary>Creates each job topic once per client, so engines that do not auto-create topics accept the append.</summary>
    public async ValueTask EnsureAsync(OutgoingRecord[] records, CancellationToken cancellationToken)
    {
        string? previous = null;
        foreach (var record in records)
        {
            if (ReferenceEquals(record.Topic, previous))
            {
                continue;
            }
            previous = record.Topic;
            if (_ensuredTopics.TryGetValue(record.Topic, out var ensured) && ensured.IsCompletedSuccessfully)
            {
                continue;
            }
            ensured = _ensuredTopics.GetOrAdd(record.Topic, topic => log.EnsureTopicAsync(topic, options.DefaultPartitions).AsTask());
            try
            {
                await ensured.WaitAsync(cancellationToken);
            }
            catch (Exception) when (ensured.IsFaulted || ensured.IsCanceled)
            {
                // Let the next call try again instead of remembering the failure.
                _ensuredTopics.TryRemove(new KeyValuePair<string, Task>(record.Topic, ensured));
                throw;
            }
        }
    }
}

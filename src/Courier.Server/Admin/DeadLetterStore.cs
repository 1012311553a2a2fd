namespace Courier.Server.Admin;

/// <summary>
/// Lists, finds and replays dead letters in the error topic. A replay appends the original event's bytes, unchanged
/// and with the original key, to the job topic it came from, with header <see cref="CourierHeaders.ReplayOf"/> set to
/// the dead letter's position. Each replay is recorded in the replay ledger topic (<see cref="ReplayLedgerTopic"/>:
/// key = the dead letter's position), in the same append as the copy, and dead letters found in the ledger are never
/// replayed again. A ledger rather than a consumer group's offset: replays can be filtered by type and class, so the
/// replayed set is not a prefix of the topic.
/// </summary>
internal sealed class DeadLetterStore
{
    private readonly IJobLog _log;
    private readonly CourierOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store over a job log.</summary>
    public DeadLetterStore(IJobLog log, CourierOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The error topic.</summary>
    public string ErrorTopic => _options.Topics.ErrorTopic;

    /// <summary>The topic that records replays: <c>&lt;service&gt;.dlq.replays</c>.</summary>
    public string ReplayLedgerTopic => ReplayLedgerTopicFor(_options.Topics);

    /// <summary>The replay ledger topic for these topic names.</summary>
    public static string ReplayLedgerTopicFor(TopicNames topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return topics.ReplayLedgerTopic;
    }

    /// <summary>Every dead letter that matches, oldest first within each partition, with its replay state.</summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> ListAsync(DeadLetterFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= DeadLetterFilter.All;
        var replayed = await ReadReplayLedgerAsync(cancellationToken);
        var entries = new List<DeadLetterEntry>();
        await LogScanner.ScanAsync(_log, ErrorTopic, record =>
        {
            var entry = DeadLetterEntry.FromRecord(record, replayed.GetValueOrDefault(record.Position));
            if (filter.Matches(entry.DeadLetter))
            {
                entries.Add(entry);
            }
        }, _timeProvider, cancellationToken);
        return entries;
    }

    /// <summary>The dead letter at a position of the error topic, or null.</summary>
    public async Task<DeadLetterEntry?> GetAsync(TopicPartitionOffset position, CancellationToken cancellationToken = default)
    {
        if (!string.Equals(position.Topic, ErrorTopic, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{LogPosition.Format(position)} is not in the error topic {ErrorTopic}", nameof(position));
        }
        LogRecord? found = null;
        await LogScanner.ScanWhileAsync(_log, position.Topic, position.Partition, position.Offset, record =>
        {
            if (record.Offset == position.Offset)
            {
                found = record;
            }
            return false;
        }, _timeProvider, cancellationToken);
        if (found is null)
        {
            return null;
        }
        var replayed = await ReadReplayLedgerAsync(cancellationToken);
        return DeadLetterEntry.FromRecord(found, replayed.GetValueOrDefault(found.Position));
    }

    /// <summary>Every dead letter of a job id (a job that was replayed and failed again has several).</summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> FindByJobIdAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        var all = await ListAsync(null, cancellationToken);
        return all.Where(e => string.Equals(e.DeadLetter.JobId ?? JobEventId.Read(e.DeadLetter.OriginalEvent), jobId, StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// Replays every matching dead letter not replayed before. With <paramref name="dryRun"/> nothing is written.
    /// Appends in batches; if an append fails, what was appended before it stays replayed and recorded.
    /// </summary>
    public async Task<DeadLetterReplay> ReplayAsync(DeadLetterFilter? filter = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var matching = await ListAsync(filter, cancellationToken);
        var already = matching.Count(e => e.ReplayedTo is not null);
        var replayer = new DeadLetterReplayer(_log, _options, _timeProvider);
        var (plan, unroutable) = replayer.Plan(matching.Where(e => e.ReplayedTo is null).Select(e => e.DeadLetter));
        if (dryRun || plan.Count == 0)
        {
            return new DeadLetterReplay { DryRun = dryRun, Replayed = plan, AlreadyReplayed = already, Unroutable = unroutable };
        }
        var done = await replayer.AppendAsync(plan, cancellationToken);
        return new DeadLetterReplay { DryRun = false, Replayed = done, AlreadyReplayed = already, Unroutable = unroutable };
    }

    /// <summary>Positions of the error topic that were replayed, with the topic each went back to.</summary>
    public async Task<IReadOnlyDictionary<TopicPartitionOffset, string>> ReadReplayLedgerAsync(CancellationToken cancellationToken = default)
    {
        var replayed = new Dictionary<TopicPartitionOffset, string>();
        await LogScanner.ScanAsync(_log, ReplayLedgerTopic, record =>
        {
            if (ReplayLedger.TryRead(record, out var position, out var target, out _))
            {
                replayed[position] = target;
            }
        }, _timeProvider, cancellationToken);
        return replayed;
    }
}

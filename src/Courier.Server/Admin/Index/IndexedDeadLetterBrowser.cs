using Courier.Dispatching.Replays;

namespace Courier.Server.Admin.Index;

/// <summary>
/// The dead letters through the index (<see cref="DeadLetterIndex"/>, kept up by <see cref="DeadLetterIndexer"/>):
/// pages and counts from SQLite, one record read from the log by position when one is shown, replays of at most
/// <see cref="MaxReplay"/> dead letters per request selected from the index, appended as <c>courier dlq replay</c>
/// does (<see cref="DeadLetterReplayer"/>) and marked replayed in the index at once. Replays (not dry runs) run one at
/// a time, so two clicks cannot both select and append the same dead letters.
/// </summary>
internal sealed class IndexedDeadLetterBrowser(IJobLog log, DeadLetterIndex index, CourierOptions options, Func<string, ReplayOutcome?> replayOutcome,
    TimeProvider time) : IDeadLetterBrowser, IDisposable
{
    private readonly SemaphoreSlim _replaying = new(1, 1);

    /// <summary>Most dead letters one replay request appends; a larger selection is replayed by repeating the request.</summary>
    public const int MaxReplay = 10_000;

    private string ErrorTopic => options.Topics.ErrorTopic;

    /// <inheritdoc/>
    public async Task<DeadLetterPage> QueryAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, DeadLetterQuery.MaxLimit);
        (long, int, long)? after = null;
        if (query.Cursor is not null)
        {
            after = IndexCursor.TryDecode(query.Cursor, out var key)
                ? key
                : throw new ArgumentException($"cursor '{query.Cursor}' is not one this server gave", nameof(query));
        }
        var filter = IndexFilter.Of(query);
        var notYet = await NotYetIndexedAsync(cancellationToken);
        var rows = index.Page(filter, after, query.Limit + 1);
        var more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return new DeadLetterPage
        {
            Items = [.. rows.Select(r => r.ToEntry(ErrorTopic))],
            Matching = index.Count(filter),
            NextCursor = more ? rows[^1].Cursor() : null,
            NotYetIndexed = notYet,
        };
    }

    /// <inheritdoc/>
    public async Task<DeadLetterEntry?> GetAsync(TopicPartitionOffset position, CancellationToken cancellationToken = default)
    {
        CheckTopic(position);
        var records = await LogScanner.ReadAtAsync(log, ErrorTopic, new Dictionary<int, List<long>> { [position.Partition] = [position.Offset] },
            time, cancellationToken);
        if (!records.TryGetValue(position, out var record))
        {
            return null;
        }
        var row = index.Find([(position.Partition, position.Offset)]).FirstOrDefault();
        return DeadLetterEntry.FromRecord(record, row?.ReplayedTo);
    }

    /// <inheritdoc/>
    public async Task<DeadLetterReplay> ReplayAsync(DeadLetterFilter filter, IReadOnlyList<TopicPartitionOffset>? positions, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (dryRun)
        {
            return await SelectAndReplayAsync(filter, positions, dryRun: true, cancellationToken);
        }
        await _replaying.WaitAsync(cancellationToken);
        try
        {
            return await SelectAndReplayAsync(filter, positions, dryRun: false, cancellationToken);
        }
        finally
        {
            _replaying.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _replaying.Dispose();

    private async Task<DeadLetterReplay> SelectAndReplayAsync(DeadLetterFilter filter, IReadOnlyList<TopicPartitionOffset>? positions, bool dryRun,
        CancellationToken cancellationToken)
    {
        List<IndexedRow> selected;
        int already;
        long more = 0;
        if (positions is { Count: > 0 })
        {
            foreach (var position in positions)
            {
                CheckTopic(position);
            }
            if (positions.Count > MaxReplay)
            {
                throw new ArgumentException($"at most {MaxReplay} positions in one replay, got {positions.Count}", nameof(positions));
            }
            var found = index.Find(positions.Distinct().Select(p => (p.Partition, p.Offset)))
                .Where(r => filter.Matches(r.ToEntry(ErrorTopic).DeadLetter))
                .ToList();
            already = found.Count(r => r.ReplayedTo is not null);
            selected = [.. found.Where(r => r.ReplayedTo is null)];
        }
        else
        {
            var indexFilter = IndexFilter.Of(filter);
            already = (int)Math.Min(int.MaxValue, index.Count(indexFilter with { Unreplayed = false }));
            // Oldest first within the bound, so repeated requests work through a large selection in order.
            selected = index.Page(indexFilter with { Unreplayed = true }, null, MaxReplay + 1, oldestFirst: true);
            if (selected.Count > MaxReplay)
            {
                more = index.Count(indexFilter with { Unreplayed = true }) - MaxReplay;
                selected.RemoveAt(MaxReplay);
            }
        }

        var replayer = new DeadLetterReplayer(log, options, time);
        var (plan, unroutable) = replayer.Plan(selected.Select(r => r.ToEntry(ErrorTopic).DeadLetter));
        if (dryRun || plan.Count == 0)
        {
            return new DeadLetterReplay { DryRun = dryRun, Replayed = plan, AlreadyReplayed = already, Unroutable = unroutable, LeftOver = more };
        }
        // The list carries no original bytes: read the records, in one pass per partition.
        var offsets = plan.GroupBy(p => p.DeadLetter.Position.Partition).ToDictionary(g => g.Key, g => g.Select(p => p.DeadLetter.Position.Offset).ToList());
        var records = await LogScanner.ReadAtAsync(log, ErrorTopic, offsets, time, cancellationToken);
        var readable = plan.Where(p => records.ContainsKey(p.DeadLetter.Position))
            .Select(p => p with { DeadLetter = DeadLetter.FromRecord(records[p.DeadLetter.Position]) })
            .ToList();
        var done = await replayer.AppendAsync(readable, cancellationToken);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        index.MarkReplayed([.. done.Select(d => new IndexedReplay(d.DeadLetter.Position.Partition, d.DeadLetter.Position.Offset,
            LogPosition.Format(d.ReplayedTo!.Value), at))]);
        return new DeadLetterReplay { DryRun = false, Replayed = done, AlreadyReplayed = already, Unroutable = unroutable, LeftOver = more };
    }

    /// <inheritdoc/>
    public Task<ReplayStatus?> ReplayStatusAsync(TopicPartitionOffset position, CancellationToken cancellationToken = default)
    {
        CheckTopic(position);
        var row = index.Find([(position.Partition, position.Offset)]).FirstOrDefault();
        if (row?.ReplayedTo is not { } replayedTo)
        {
            return Task.FromResult<ReplayStatus?>(null);
        }
        var key = LogPosition.Format(position);
        var again = index.FailedReplayOf(key);
        var seen = replayOutcome(key);
        var outcome = seen?.Outcome ?? (again is not null ? "dead_lettered" : "pending");
        var at = seen?.At ?? (again is not null ? DateTimeOffset.FromUnixTimeMilliseconds(again.TimestampMs) : null);
        var againAt = again is null ? null : LogPosition.Format(new TopicPartitionOffset(ErrorTopic, again.Partition, again.Offset));
        return Task.FromResult<ReplayStatus?>(new ReplayStatus(replayedTo, outcome, at, againAt));
    }

    /// <summary>Error-topic records the index has not read yet: high watermark minus the indexed offset, over the partitions.</summary>
    public async Task<long> NotYetIndexedAsync(CancellationToken cancellationToken)
    {
        var described = (await log.ListTopicsAsync(cancellationToken)).FirstOrDefault(t => string.Equals(t.Name, ErrorTopic, StringComparison.Ordinal));
        if (described is null)
        {
            return 0;
        }
        var progress = index.Progress();
        long behind = 0;
        var watermarks = await log.GetWatermarksAsync(
            Enumerable.Range(0, described.Partitions).Select(p => new TopicPartition(ErrorTopic, p)).ToList(), cancellationToken);
        foreach (var (tp, marks) in watermarks)
        {
            behind += Math.Max(0, marks.High - Math.Max(marks.Low, progress.GetValueOrDefault(tp)));
        }
        return behind;
    }

    private void CheckTopic(TopicPartitionOffset position)
    {
        if (!string.Equals(position.Topic, ErrorTopic, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{LogPosition.Format(position)} is not in the error topic {ErrorTopic}", nameof(position));
        }
    }
}

using System.Text;

namespace Courier.Server.Admin;

/// <summary>
/// What every replay does, whoever selected the dead letters (<see cref="DeadLetterStore"/> by scanning, the index by
/// query): plans where each goes back to, and appends the copies with their ledger entries.
/// </summary>
internal sealed class DeadLetterReplayer
{
    private const int AppendBatch = 200;

    private readonly IJobLog _log;
    private readonly CourierOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the replayer over a job log.</summary>
    public DeadLetterReplayer(IJobLog log, CourierOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Splits dead letters not replayed before into those to replay (to their origin topic, else their type's job
    /// topic) and those that name neither.
    /// </summary>
    public (List<ReplayedDeadLetter> Plan, List<DeadLetter> Unroutable) Plan(IEnumerable<DeadLetter> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        var plan = new List<ReplayedDeadLetter>();
        var unroutable = new List<DeadLetter>();
        foreach (var deadLetter in deadLetters)
        {
            var target = deadLetter.OriginTopic ?? (deadLetter.JobType is { Length: > 0 } type ? _options.Topics.JobTopic(type) : null);
            if (target is null)
            {
                unroutable.Add(deadLetter);
            }
            else
            {
                plan.Add(new ReplayedDeadLetter(deadLetter, target, null));
            }
        }
        return (plan, unroutable);
    }

    /// <summary>
    /// Appends each planned dead letter's original bytes, unchanged and with the original key, to its target topic
    /// with header <see cref="CourierHeaders.ReplayOf"/>, and its ledger entry; in batches. If an append fails, what
    /// was appended before it stays replayed and recorded. Returns the plan with each copy's position.
    /// </summary>
    public async Task<List<ReplayedDeadLetter>> AppendAsync(IReadOnlyList<ReplayedDeadLetter> plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var done = new List<ReplayedDeadLetter>(plan.Count);
        if (plan.Count == 0)
        {
            return done;
        }
        var ledger = _options.Topics.ReplayLedgerTopic;
        await _log.EnsureTopicAsync(ledger, 1, cancellationToken);
        foreach (var topic in plan.Select(p => p.TargetTopic).Distinct(StringComparer.Ordinal))
        {
            await _log.EnsureTopicAsync(topic, _options.DefaultPartitions, cancellationToken);
        }
        using var producer = _log.CreateProducer();
        foreach (var chunk in plan.Chunk(AppendBatch))
        {
            // The copy and its ledger entry go in one append: with the embedded log they commit together; with Kafka
            // the copy is listed first, so a failure in between can replay twice but never records a replay that
            // did not happen.
            var records = new List<OutgoingRecord>(chunk.Length * 2);
            foreach (var item in chunk)
            {
                var from = LogPosition.Format(item.DeadLetter.Position);
                records.Add(new OutgoingRecord(item.TargetTopic, item.DeadLetter.Key, item.DeadLetter.OriginalEvent,
                    [new LogHeader(CourierHeaders.ReplayOf, Encoding.UTF8.GetBytes(from))]));
            }
            var now = _timeProvider.GetUtcNow();
            foreach (var item in chunk)
            {
                records.Add(ReplayLedger.Entry(ledger, item.DeadLetter.Position, item.TargetTopic, now));
            }
            var positions = await producer.ProduceAsync(records, cancellationToken);
            for (var i = 0; i < chunk.Length; i++)
            {
                done.Add(chunk[i] with { ReplayedTo = positions[i] });
            }
        }
        return done;
    }
}

using System.Globalization;
using System.Reflection;
using Courier.Dispatching.Routing;
using Courier.Telemetry;
using static Courier.Dispatching.Outcomes.RecordHeaders;

namespace Courier.Dispatching.Outcomes;

/// <summary>
/// Writes the records a job's outcome needs — a retry on its delay tier, a dead letter, or the partitioner's copy
/// on the partitioned topic — and waits until the log has each one (<see cref="DurableProducer"/>).
/// </summary>
internal sealed class OutcomeWriter(DurableProducer durable, TopicNames names, RetryTierSet tiers, TimeProvider time)
{
    private static readonly string Version =
        typeof(Dispatcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Dispatcher).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>
    /// The partitioner hop: the record goes, unchanged and with its headers, to the partition of the partitioned
    /// topic its key maps to. The job topic's offset completes once the copy is durable.
    /// </summary>
    public async Task<bool> ForwardToPartitionAsync(LogRecord record, TypeState type, JobEvent jobEvent)
    {
        var spec = type.Rule.Partition!;
        var key = PartitionKeys.Of(spec.Key, jobEvent);
        var target = key is not null && spec.Map.TryGetValue(key, out var mapped) ? mapped : spec.Default;
        // The job topic stays the job's origin (where a replay goes back to), not the partitioned topic.
        var outgoing = new OutgoingRecord(names.PartitionedTopic(type.JobTopic), record.Key, record.Value,
            [.. record.Headers, .. OriginOf(record)], Partition: target);
        if (!await ProduceDurablyAsync(outgoing, "partitioned", jobEvent.Meta.Id))
        {
            return false;
        }
        Interlocked.Increment(ref type.Partitioned);
        return true;
    }

    public Task<bool> WriteRetryAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempt, int backpressures,
        TimeSpan delay, FailureClass? failure, string? message, string kind, string? release = null, string? held = null,
        string? claim = null)
    {
        // Retry delays of the rules always have a tier of their own. A far delay_until hops through the largest
        // tier (re-checked on each hop); a Retry-After beyond the largest tier is capped at it. Either way no
        // far-future record sits at the head of a partition holding up the records behind it.
        var largest = tiers.Tiers[^1].Delay;
        var hop = delay > largest ? largest : delay;
        var tier = tiers.For(hop);
        var due = time.GetUtcNow() + hop;
        var headers = OriginHeaders(record, type, jobEvent);
        headers.Add(Header(CourierHeaders.Attempts, attempt));
        headers.Add(Header(CourierHeaders.BackpressureCount, backpressures));
        headers.Add(Header(CourierHeaders.DueAt, due.ToUnixTimeMilliseconds()));
        if (failure is { } f)
        {
            headers.Add(Header(CourierHeaders.FailureClass, f.ToWireName()));
            headers.Add(Header(CourierHeaders.FailureMessage, Truncate(message)));
        }
        if (release is not null)
        {
            headers.Add(Header(CourierHeaders.Release, release));
        }
        if (held is not null)
        {
            headers.Add(Header(CourierHeaders.Held, held));
        }
        if (claim is not null)
        {
            headers.Add(Header(CourierHeaders.Claim, claim));
        }
        var topic = names.RetryTopic(type.JobTopic, tier);
        return ProduceDurablyAsync(new OutgoingRecord(topic, record.Key, record.Value, headers), kind, jobEvent?.Meta.Id);
    }

    public Task<bool> WriteDeadLetterAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempts, FailureClass failure, string? message,
        string release)
    {
        var headers = OriginHeaders(record, type, jobEvent);
        headers.Add(Header(CourierHeaders.Attempts, attempts));
        headers.Add(Header(CourierHeaders.FailureClass, failure.ToWireName()));
        headers.Add(Header(CourierHeaders.FailureMessage, Truncate(message)));
        headers.Add(Header(CourierHeaders.Executor, type.Executor.Name));
        headers.Add(Header(CourierHeaders.DispatcherVersion, Version));
        headers.Add(Header(CourierHeaders.Release, release));
        headers.Add(Header(CourierHeaders.FailedAt, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        return ProduceDurablyAsync(new OutgoingRecord(names.ErrorTopic, record.Key, record.Value, headers), "dead-letter", jobEvent?.Meta.Id);
    }

    private List<LogHeader> OriginHeaders(LogRecord record, TypeState type, JobEvent? jobEvent)
    {
        var headers = new List<LogHeader>(12) { Header(CourierHeaders.JobType, type.Name) };
        if (jobEvent is not null)
        {
            headers.Add(Header(CourierHeaders.JobId, jobEvent.Meta.Id));
            if (jobEvent.Meta.Producer is { } producedBy)
            {
                headers.Add(Header(CourierHeaders.ProducerVersion, producedBy.Name + "/" + producedBy.Version));
            }
        }
        if (record.GetHeader(CourierHeaders.OriginTopic) is null)
        {
            // First attempt: this record is the origin.
            headers.AddRange(OriginOf(record));
        }
        else
        {
            foreach (var name in (ReadOnlySpan<string>)[CourierHeaders.OriginTopic, CourierHeaders.OriginPartition, CourierHeaders.OriginOffset, CourierHeaders.FirstAttemptAt])
            {
                if (record.GetHeader(name) is { } value)
                {
                    headers.Add(new LogHeader(name, value));
                }
            }
        }
        // A replayed copy stays one through its retries, and its dead letter says which dead letter it replayed.
        if (record.GetHeader(CourierHeaders.ReplayOf) is { } replayOf)
        {
            headers.Add(new LogHeader(CourierHeaders.ReplayOf, replayOf));
        }
        // The job's trace goes on with it: every attempt joins the trace that enqueued it.
        headers.AddRange(TraceHeaders.CopyFrom(record));
        if (record.GetHeader(CourierHeaders.FirstAttemptAt) is null)
        {
            headers.Add(Header(CourierHeaders.FirstAttemptAt, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        }
        return headers;
    }

    private Task<bool> ProduceDurablyAsync(OutgoingRecord outgoing, string kind, string? jobId) =>
        durable.ProduceAsync([outgoing], kind, jobId);
}

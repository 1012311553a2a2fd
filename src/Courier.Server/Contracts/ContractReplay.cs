using Courier.Server.Admin;

namespace Courier.Server.Contracts;

/// <summary>
/// The replay check before a deploy: decodes the records written to the log since a cut-off with the current build
/// (<see cref="ContractVerifier"/>), per job type, over job topics and their retry tiers. It reads without a consumer
/// group, so it commits nothing and the dispatchers do not notice it.
/// </summary>
/// <remarks>
/// The job log has no offset-for-time lookup, so each partition is read from its low watermark and records older
/// than the cut-off are skipped: the cost is one pass over what the log retains, not over the window. A sample stops
/// a type's topics once it has that many records.
/// </remarks>
internal static class ContractReplay
{
    /// <summary>Failures kept as examples per type.</summary>
    public const int MaxExamples = 5;

    /// <summary>Checks the records of every job and retry topic with a timestamp at or after <paramref name="since"/>.</summary>
    /// <param name="log">The job log.</param>
    /// <param name="options">Topic names.</param>
    /// <param name="verifier">The current build's decoding.</param>
    /// <param name="since">Records older than this are skipped.</param>
    /// <param name="sample">At most this many records per type; null for all.</param>
    /// <param name="timeProvider">Time for the scan's stall detection.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public static async Task<IReadOnlyList<ReplayTypeResult>> RunAsync(IJobLog log, CourierOptions options, ContractVerifier verifier,
        DateTimeOffset since, int? sample = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verifier);
        if (sample is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(sample));
        }
        var results = new SortedDictionary<string, ReplayTypeResult>(StringComparer.Ordinal);
        var topics = (await log.ListTopicsAsync(cancellationToken)).Select(t => t.Name).Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var (kind, jobType) = LogStatsReader.Classify(topic, options.Topics);
            if (kind is not (TopicKind.Job or TopicKind.Retry) || jobType is null)
            {
                continue;
            }
            if (!results.TryGetValue(jobType, out var result))
            {
                results[jobType] = result = new ReplayTypeResult { JobType = jobType };
            }
            if (sample is { } full && result.Read >= full)
            {
                continue;
            }
            await LogScanner.ScanWhileAsync(log, topic, partition: null, fromOffset: null, record =>
            {
                if (record.Timestamp >= since)
                {
                    result.Add(record, verifier.Verify(record.Value.Span));
                }
                return sample is not { } cap || result.Read < cap;
            }, timeProvider ?? TimeProvider.System, cancellationToken);
        }
        return results.Values.ToList();
    }
}

using Courier.State;

namespace Courier.Dispatching.Cancelling;

/// <summary>
/// Cancels a job by id on every dispatcher of a log: records it in the state store (<see cref="CancelStore"/>, when
/// there is one) and writes a <see cref="CancelRecord"/> to the control topic, which each dispatcher reads to fire the
/// token of the job if it runs there and to end it <c>cancelled</c> when it reaches it. What <c>courier cancel</c>
/// calls; <see cref="Dispatcher.CancelAsync"/> also fires the token at once on its own dispatcher.
/// </summary>
/// <remarks>
/// A job that already finished is not undone, and the log cannot say whether an id was ever enqueued: the
/// cancellation is recorded either way and applies to a job with that id reached before it expires.
/// </remarks>
public sealed class CancelControl(IJobLog log, TopicNames names, TimeProvider time, IJobStateStore? store = null)
{
    /// <summary>How long a cancellation lasts by default (<see cref="DispatcherOptions.CancelTtl"/>).</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromDays(7);

    /// <summary>Cancels job <paramref name="jobId"/> for <paramref name="ttl"/>; returns what was recorded where.</summary>
    /// <param name="jobId">The job's id (<c>meta.id</c>).</param>
    /// <param name="reason">Why, as the dispatchers' logs show it.</param>
    /// <param name="by">Who asks (a user or a host).</param>
    /// <param name="ttl">How long a job with this id not reached yet is still cancelled when reached.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public Task<CancelResult> CancelAsync(string jobId, string reason, string by, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        WriteAsync(Record(jobId, reason, by, ttl), cancellationToken);

    /// <summary>The cancellation of job <paramref name="jobId"/> for <paramref name="ttl"/>, asked now, not yet written.</summary>
    public CancelRecord Record(string jobId, string reason, string by, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.FromSeconds(1));
        return new CancelRecord(jobId, reason, by, time.GetUtcNow(), (long)ttl.TotalSeconds);
    }

    /// <summary>Writes <paramref name="record"/> to the state store (if any) and the control topic.</summary>
    public async Task<CancelResult> WriteAsync(CancelRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        string? recordedIn = null;
        string? storeError = null;
        if (store is not null)
        {
            try
            {
                await CancelStore.RecordAsync(store, record, time, cancellationToken);
                recordedIn = store.Name;
            }
            catch (JobStateStoreException e)
            {
                // The control record below still reaches every running dispatcher; only the store's reach is lost.
                storeError = e.Message;
            }
        }
        await log.EnsureTopicAsync(names.ControlTopic, 1, cancellationToken);
        using var producer = log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord(names.ControlTopic, record.Key, record.ToJson(), [])], cancellationToken);
        return new CancelResult(record, recordedIn, storeError);
    }
}

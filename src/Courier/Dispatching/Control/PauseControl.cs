namespace Courier.Dispatching.Control;

/// <summary>
/// Pauses and resumes job types on every dispatcher of a log: writes a <see cref="ControlRecord"/> to the control
/// topic, which each dispatcher reads and applies as <see cref="Dispatcher.Pause"/> or <see cref="Dispatcher.Resume"/>.
/// What <c>courier pause</c>, <c>courier resume</c> and the admin endpoints of <c>courier serve</c> call.
/// </summary>
public sealed class PauseControl(IJobLog log, TopicNames names, TimeProvider time)
{
    /// <summary>Pauses <paramref name="jobType"/> everywhere until a resume; returns the record written.</summary>
    /// <param name="jobType">The job type.</param>
    /// <param name="reason">Why; stats, logs and <c>CourierJobTypePaused</c> show it.</param>
    /// <param name="by">Who asks (a user or a host).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task<ControlRecord> PauseAsync(string jobType, string reason, string by, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return WriteAsync(jobType, paused: true, reason, by, cancellationToken);
    }

    /// <summary>
    /// Resumes <paramref name="jobType"/> everywhere (ending an operator's pause and resetting the type's breaker);
    /// returns the record written.
    /// </summary>
    public Task<ControlRecord> ResumeAsync(string jobType, string by, CancellationToken cancellationToken = default) =>
        WriteAsync(jobType, paused: false, reason: null, by, cancellationToken);

    private async Task<ControlRecord> WriteAsync(string jobType, bool paused, string? reason, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var record = new ControlRecord(jobType, paused, reason, by, time.GetUtcNow());
        await log.EnsureTopicAsync(names.ControlTopic, 1, cancellationToken);
        using var producer = log.CreateProducer();
        await producer.ProduceAsync([new OutgoingRecord(names.ControlTopic, record.Key, record.ToJson(), [])], cancellationToken);
        return record;
    }
}

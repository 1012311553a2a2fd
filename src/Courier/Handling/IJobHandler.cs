namespace Courier;

/// <summary>Runs jobs of one type whose params bind to <typeparamref name="TParams"/>.</summary>
/// <typeparam name="TParams">The params object, bound from JSON with <see cref="CourierOptions.ParamsSerializerOptions"/>.</typeparam>
public interface IJobHandler<TParams>
{
    /// <summary>
    /// Runs the job. Return <see cref="JobResult.Success"/> or a failure; a thrown exception maps through
    /// <see cref="JobResult.FromException"/>. The token is cancelled when the rule's timeout passes or the
    /// dispatcher shuts down; the job is then retried.
    /// </summary>
    ValueTask<JobResult> HandleAsync(Job<TParams> job, JobContext context, CancellationToken cancellationToken);
}

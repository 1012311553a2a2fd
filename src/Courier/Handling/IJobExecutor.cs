namespace Courier;

/// <summary>Runs a decoded job somewhere: in this process, or on an HTTP runner.</summary>
public interface IJobExecutor
{
    /// <summary>Name for logs, metrics and dead letters ("in-process", a runner pool's name).</summary>
    string Name { get; }

    /// <summary>
    /// Runs the job and says how it went. Must not throw for job failures: map them to a <see cref="JobResult"/>.
    /// An unknown job type is <see cref="FailureClass.Decode"/>.
    /// </summary>
    ValueTask<JobResult> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken);
}

namespace Courier.Bench;

/// <summary>Hangfire's no-op job: tells the probe it started, nothing else.</summary>
/// <remarks>Public because Hangfire only invokes public methods of types it can name.</remarks>
public sealed class HangfireNoopJob
{
    private readonly JobProbe _probe;

    internal HangfireNoopJob(JobProbe probe) => _probe = probe;

    /// <summary>The job method; the arguments are the same as Courier's no-op params.</summary>
    public void Run(long sequence, long enqueueTimestamp) => _probe.OnStart(sequence, enqueueTimestamp);
}

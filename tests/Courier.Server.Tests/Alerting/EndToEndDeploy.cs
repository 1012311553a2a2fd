using System.Text.Json;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The handler of a job type as deployed: broken at first — it throws on every job, as the April 2019 deploy did —
/// until <see cref="Fix"/>, then it succeeds. Counts both, so a test shows what really ran.
/// </summary>
internal sealed class EndToEndDeploy : IJobHandler<JsonElement>
{
    private int _broken = 1;
    private int _thrown;
    private int _succeeded;

    /// <summary>Jobs the handler threw on.</summary>
    public int Thrown => Volatile.Read(ref _thrown);

    /// <summary>Jobs the handler completed.</summary>
    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Deploys the fix: jobs handled from now on succeed.</summary>
    public void Fix() => Volatile.Write(ref _broken, 0);

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _broken) == 1)
        {
            Interlocked.Increment(ref _thrown);
            throw new InvalidOperationException($"{job.Type}: the deployed handler cannot read its params");
        }
        Interlocked.Increment(ref _succeeded);
        return ValueTask.FromResult(JobResult.Success);
    }
}

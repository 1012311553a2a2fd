using Hangfire;

namespace Courier.Bench;

/// <summary>Hands Hangfire the one no-op job instance that holds the probe (so no static state is needed).</summary>
internal sealed class HangfireProbeActivator : JobActivator
{
    private readonly HangfireNoopJob _job;

    public HangfireProbeActivator(JobProbe probe) => _job = new HangfireNoopJob(probe);

    public override object ActivateJob(Type jobType) =>
        jobType == typeof(HangfireNoopJob) ? _job : base.ActivateJob(jobType);
}

using Courier;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Health;

/// <summary>Healthy once the app (and so Courier's dispatcher) has started, while the job log answers a listing of its topics.</summary>
public sealed class JobLogHealthCheck(IJobLog log, IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("not running: starting or stopping");
        }
        try
        {
            var topics = await log.ListTopicsAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{log.EngineName} job log, {topics.Count} topics");
        }
        catch (JobLogException e)
        {
            return HealthCheckResult.Unhealthy($"{log.EngineName} job log: {e.Message}", e);
        }
    }
}

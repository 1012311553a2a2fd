using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Courier.Server.Hosting;

/// <summary>Ready when the host (and so the dispatcher) has started, is not stopping, and the job log answers.</summary>
internal sealed class ReadinessCheck(IHostApplicationLifetime lifetime, IJobLog log) : IHealthCheck
{
    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("starting");
        }
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("stopping");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LogTimeout);
        try
        {
            var topics = await log.ListTopicsAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{log.EngineName} log: {topics.Count} topics");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{log.EngineName} log did not answer within {LogTimeout.TotalSeconds:0} s");
        }
        catch (JobLogException e)
        {
            return HealthCheckResult.Unhealthy($"{log.EngineName} log: {e.Message}");
        }
    }
}

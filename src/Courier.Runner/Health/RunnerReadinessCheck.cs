using Courier.Runner.Endpoint;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Courier.Runner.Health;

/// <summary>
/// Ready when handlers are registered, the host has started and is not stopping. Read-only is reported as degraded
/// (still 200): the runner answers 423 and the dispatcher waits, which is what a load balancer should let happen.
/// </summary>
internal sealed class RunnerReadinessCheck(RunnerEndpoint endpoint, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = endpoint.Options;
        HealthCheckResult result;
        if (endpoint.Registry.JobTypes.Count == 0)
        {
            result = HealthCheckResult.Unhealthy("no job handlers are registered");
        }
        else if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            result = HealthCheckResult.Unhealthy("starting");
        }
        else if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            result = HealthCheckResult.Unhealthy("stopping");
        }
        else if (options.ReadOnly?.Invoke() == true)
        {
            result = HealthCheckResult.Degraded("read-only");
        }
        else
        {
            result = HealthCheckResult.Healthy($"{endpoint.Registry.JobTypes.Count} job types, {endpoint.Running} of {options.MaxConcurrency} running");
        }
        return Task.FromResult(result);
    }
}

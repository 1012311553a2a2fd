using System.Globalization;

namespace Courier.Server.Demo;

/// <summary>Applies a job's <see cref="DemoSimulation"/>: injected failures first, then the simulated work time.</summary>
internal static class DemoSimulator
{
    /// <summary>
    /// Returns a permanent failure when one is requested, throws a transient exception on the attempts that are set
    /// to fail, and returns null when the attempt may proceed.
    /// </summary>
    public static JobResult? InjectFailure(DemoSimulation? simulation, JobContext context)
    {
        if (simulation is null)
        {
            return null;
        }
        if (simulation.Permanent is { } reason)
        {
            return JobResult.Fail(reason.Length == 0 ? "simulated permanent failure" : reason);
        }
        if (context.Attempt <= simulation.FailAttempts)
        {
            // An exception, not a JobResult: the demo exercises the executor's exception mapping as real handlers do.
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"simulated transient failure on attempt {context.Attempt} (fails attempts 1..{simulation.FailAttempts})"));
        }
        return null;
    }

    /// <summary>Waits the simulated work time (the job's own, or the handler's default).</summary>
    public static Task WorkAsync(DemoSimulation? simulation, int defaultMilliseconds, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var ms = simulation?.WorkMilliseconds ?? defaultMilliseconds;
        return ms <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(ms), timeProvider, cancellationToken);
    }
}

using System.Diagnostics;
using Courier.Chaos.Fleet;
using Courier.Testing;

namespace Courier.Chaos.Faults;

/// <summary>
/// Plays a <see cref="FaultSchedule"/> against the fleet: each fault starts at its offset from the workload's start
/// (faults may overlap) and ends after its duration. Records what happened to each, for the report.
/// </summary>
internal sealed class FaultInjector(
    DispatcherFleet dispatchers, RunnerFleet runners, ChaosFiles files, KafkaDevCluster? cluster, TmpfsData? tmpfs, TextWriter output)
{
    private readonly List<string> _events = [];

    /// <summary>One line per fault: what ran, or why it did not.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Runs every fault of the schedule; returns when the last one has ended.</summary>
    public Task RunAsync(FaultSchedule schedule, Stopwatch clock, CancellationToken cancellationToken) =>
        Task.WhenAll(schedule.Faults.Select(async fault =>
        {
            var wait = fault.At - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            var started = clock.Elapsed;
            string note;
            try
            {
                note = await InjectAsync(fault, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                note = "failed to inject: " + e.Message;
            }
            var line = $"{started.TotalSeconds,7:0.0}s-{clock.Elapsed.TotalSeconds:0.0}s  {FaultNames.Of(fault.Kind),-16} {fault.Target,-17} {note}";
            lock (_events)
            {
                _events.Add(line);
            }
            output.WriteLine("fault " + line);
        }));

    private async Task<string> InjectAsync(ScheduledFault fault, CancellationToken cancellationToken)
    {
        switch (fault.Kind)
        {
            case FaultKind.KillDispatcher:
                return await KillAsync(dispatchers.Members[fault.TargetNumber], fault.Duration, cancellationToken);
            case FaultKind.KillRunner:
                return await KillAsync(runners.Members[fault.TargetNumber], fault.Duration, cancellationToken);
            case FaultKind.RunnerStorm:
            case FaultKind.RunnerSlow:
                var proxy = runners.Proxies[fault.TargetNumber];
                proxy.SetMode(fault.Kind == FaultKind.RunnerStorm ? ProxyMode.Storm : ProxyMode.Slow);
                try
                {
                    await Task.Delay(fault.Duration, cancellationToken);
                }
                finally
                {
                    proxy.SetMode(ProxyMode.Pass);
                }
                return fault.Kind == FaultKind.RunnerStorm ? $"done ({proxy.Stormed} answered 503 so far)" : $"done ({proxy.Held} held so far)";
            case FaultKind.SqliteBusy:
                var locked = Stopwatch.StartNew();
                await SqliteLock.HoldAsync(Path.Combine(files.Data, fault.Target), fault.Duration, cancellationToken);
                return $"held BEGIN EXCLUSIVE (lock taken and released after {locked.Elapsed.TotalSeconds:0.0} s)";
            case FaultKind.DiskFull:
                if (tmpfs is null)
                {
                    return "skipped: no tmpfs";
                }
                await tmpfs.FillAsync(fault.Duration, cancellationToken);
                return "filled, then freed";
            case FaultKind.BrokerDown:
                var kafka = cluster ?? throw new InvalidOperationException("broker faults need the Kafka engine");
                kafka.SetBrokerDown(fault.TargetNumber);
                try
                {
                    await Task.Delay(fault.Duration, cancellationToken);
                }
                finally
                {
                    kafka.SetBrokerUp(fault.TargetNumber);
                }
                return "down, then up";
            case FaultKind.RequestErrors:
                await KafkaRequestFaults.InjectAsync(cluster ?? throw new InvalidOperationException("request errors need the Kafka engine"),
                    fault.Target, fault.Duration, cancellationToken);
                return "errors injected, then cleared";
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, null);
        }
    }

    private static async Task<string> KillAsync(FleetMember member, TimeSpan pause, CancellationToken cancellationToken)
    {
        var pid = member.Pid;
        return await member.KillAndRestartAsync(pause, cancellationToken)
            ? $"killed pid {pid} (SIGKILL), restarted as pid {member.Pid}"
            : "skipped: it was down (being restarted)";
    }
}

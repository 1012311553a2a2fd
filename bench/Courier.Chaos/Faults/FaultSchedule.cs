using System.Globalization;
using System.Text;

namespace Courier.Chaos.Faults;

/// <summary>
/// The seeded fault schedule: the same seed, job count, fault count, rate and fleet give the same schedule, so a run
/// that found something can be replayed. Faults fall between 5 % and 90 % of the workload's span; when there are at
/// least two, the first two drawn are a dispatcher kill and a runner kill, so every soak has both.
/// </summary>
internal sealed class FaultSchedule
{
    private FaultSchedule(IReadOnlyList<ScheduledFault> faults, IReadOnlyList<FaultKind> kinds, IReadOnlyList<string> skipped)
    {
        Faults = faults;
        Kinds = kinds;
        Skipped = skipped;
    }

    /// <summary>The faults, by time.</summary>
    public IReadOnlyList<ScheduledFault> Faults { get; }

    /// <summary>The kinds the schedule drew from.</summary>
    public IReadOnlyList<FaultKind> Kinds { get; }

    /// <summary>Kinds left out, each with why (e.g. no tmpfs for the disk-full fault).</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Draws the schedule from <c>new Random(seed)</c>.</summary>
    public static FaultSchedule Create(ChaosOptions options, int brokers, bool diskFullAvailable)
    {
        var kinds = new List<FaultKind> { FaultKind.KillDispatcher, FaultKind.KillRunner, FaultKind.RunnerStorm, FaultKind.RunnerSlow, FaultKind.SqliteBusy };
        var skipped = new List<string>();
        if (diskFullAvailable)
        {
            kinds.Add(FaultKind.DiskFull);
        }
        else
        {
            skipped.Add("disk-full: the data directory could not be put on a tmpfs (mount failed); no fault stands in for it");
        }
        if (options.Engine == ChaosEngineKind.Kafka)
        {
            kinds.Add(FaultKind.BrokerDown);
            kinds.Add(FaultKind.RequestErrors);
        }
        // Not for security: the schedule must be replayable from its seed.
#pragma warning disable CA5394
        var random = new Random(options.Seed);
        var span = options.WorkloadSpan;
        var faults = new List<ScheduledFault>(options.Faults);
        for (var i = 0; i < options.Faults; i++)
        {
            var kind = i switch
            {
                0 => FaultKind.KillDispatcher,
                1 => FaultKind.KillRunner,
                _ => kinds[random.Next(kinds.Count)],
            };
            var at = span * (0.05 + (0.85 * random.NextDouble()));
            faults.Add(Draw(random, at, kind, options, brokers));
        }
#pragma warning restore CA5394
        return new FaultSchedule(faults.OrderBy(f => f.At).ToList(), kinds, skipped);
    }

#pragma warning disable CA5394
    private static ScheduledFault Draw(Random random, TimeSpan at, FaultKind kind, ChaosOptions options, int brokers)
    {
        TimeSpan Seconds(double min, double max) => TimeSpan.FromSeconds(Math.Round(min + ((max - min) * random.NextDouble()), 1));
        return kind switch
        {
            FaultKind.KillDispatcher => new(at, kind, $"dispatcher-{random.Next(options.Dispatchers)}", Seconds(0.5, 3)),
            FaultKind.KillRunner => new(at, kind, $"runner-{random.Next(options.Runners)}", Seconds(0.5, 3)),
            FaultKind.RunnerStorm => new(at, kind, $"runner-{random.Next(options.Runners)}", Seconds(2, 6)),
            FaultKind.RunnerSlow => new(at, kind, $"runner-{random.Next(options.Runners)}", Seconds(3, 6)),
            FaultKind.SqliteBusy => new(at, kind,
                options.Engine == ChaosEngineKind.Sqlite && random.Next(2) == 0 ? ChaosFiles.LogDb : ChaosFiles.StateDb, Seconds(2, 5)),
            FaultKind.DiskFull => new(at, kind, "data", Seconds(3, 6)),
            FaultKind.BrokerDown => new(at, kind, $"broker-{1 + random.Next(brokers)}", Seconds(3, 8)),
            FaultKind.RequestErrors => new(at, kind, KafkaRequestFaults.Requests[random.Next(KafkaRequestFaults.Requests.Count)], Seconds(3, 6)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
#pragma warning restore CA5394

    /// <summary>The schedule as a table: time offset, fault, target, duration.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("  at (s)   fault             target             duration (s)");
        foreach (var fault in Faults)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {fault.At.TotalSeconds,7:0.0}  {FaultNames.Of(fault.Kind),-16}  {fault.Target,-17}  {fault.Duration.TotalSeconds,6:0.0}"));
        }
        foreach (var reason in Skipped)
        {
            text.AppendLine("  skipped: " + reason);
        }
        return text.ToString();
    }
}

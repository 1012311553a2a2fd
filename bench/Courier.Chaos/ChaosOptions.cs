using System.Globalization;

namespace Courier.Chaos;

/// <summary>
/// What one soak runs: engine, workload size and rate, how many faults, the seed that makes the schedule and the
/// workload replayable, and how many dispatcher and runner processes.
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>The command line's usage text.</summary>
    public const string Usage = """
        Courier.Chaos: a chaos soak of several `courier serve` dispatchers and `courier runner` processes.
          --engine sqlite|kafka   job log engine (default sqlite)
          --jobs N                jobs the harness enqueues (default 10000)
          --faults F              faults in the seeded schedule (default 6)
          --seed S                seed of the schedule and the workload (default 1)
          --dispatchers D         `courier serve` processes (default 3)
          --runners R             `courier runner` processes behind fault proxies (default 2)
          --rate J                jobs enqueued per second (default 500)
          --work DIR              working directory (default: a new one under the temp directory)
          --drain-bound SECONDS   longest wait for the audit to show nothing pending or in retry (default 600)
          --schedule-only         print the fault schedule these options give, and exit
        """;

    /// <summary>The job log engine.</summary>
    public ChaosEngineKind Engine { get; init; } = ChaosEngineKind.Sqlite;

    /// <summary>Jobs the harness enqueues.</summary>
    public int Jobs { get; init; } = 10_000;

    /// <summary>Faults in the schedule.</summary>
    public int Faults { get; init; } = 6;

    /// <summary>Seed of <see cref="System.Random"/> for the schedule and the workload.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Dispatcher (<c>courier serve</c>) processes.</summary>
    public int Dispatchers { get; init; } = 3;

    /// <summary>Runner (<c>courier runner</c>) processes, each behind a fault proxy.</summary>
    public int Runners { get; init; } = 2;

    /// <summary>Jobs enqueued per second; the schedule spans the time the workload takes at this rate.</summary>
    public int Rate { get; init; } = 500;

    /// <summary>Working directory (data, configuration, logs); a new temporary one when null.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Longest wait, after the faults, for the audit to show nothing pending and nothing in retry.</summary>
    public TimeSpan DrainBound { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Only print the schedule (<c>--schedule-only</c>).</summary>
    public bool ScheduleOnly { get; init; }

    /// <summary>How long enqueueing the workload takes at <see cref="Rate"/>.</summary>
    public TimeSpan WorkloadSpan => TimeSpan.FromSeconds((double)Jobs / Rate);

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ChaosOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--schedule-only")
            {
                options = options with { ScheduleOnly = true };
                continue;
            }
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--engine" => options with { Engine = ParseEngine(value) },
                "--jobs" => options with { Jobs = Positive(name, value) },
                "--faults" => options with { Faults = NonNegative(name, value) },
                "--seed" => options with { Seed = NonNegative(name, value) },
                "--dispatchers" => options with { Dispatchers = Positive(name, value) },
                "--runners" => options with { Runners = Positive(name, value) },
                "--rate" => options with { Rate = Positive(name, value) },
                "--work" => options with { WorkDirectory = value },
                "--drain-bound" => options with { DrainBound = TimeSpan.FromSeconds(Positive(name, value)) },
                _ => throw new ArgumentException($"unknown option {name}\n{Usage}"),
            };
        }
        return options;
    }

    private static ChaosEngineKind ParseEngine(string value) => value switch
    {
        "sqlite" => ChaosEngineKind.Sqlite,
        "kafka" => ChaosEngineKind.Kafka,
        _ => throw new ArgumentException($"--engine must be sqlite or kafka, not '{value}'"),
    };

    private static int Positive(string name, string value) =>
        NonNegative(name, value) is var n and > 0 ? n : throw new ArgumentException($"{name} must be at least 1");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} must be a non-negative integer, not '{value}'");
}

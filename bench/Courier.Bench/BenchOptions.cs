using System.Globalization;

namespace Courier.Bench;

/// <summary>Command-line settings of one harness run (the parent) or one measured system (a child).</summary>
internal sealed record BenchOptions
{
    /// <summary>Jobs for the enqueue and processing rates.</summary>
    public int Jobs { get; init; } = 100_000;

    /// <summary>How long the paced latency run sends.</summary>
    public int LatencySeconds { get; init; } = 20;

    /// <summary>Jobs per second the latency run sends (open loop).</summary>
    public int LatencyRate { get; init; } = 200;

    /// <summary>Backlog drained for the memory figure; 0 skips it.</summary>
    public int Backlog { get; init; } = 1_000_000;

    /// <summary>Systems measured.</summary>
    public IReadOnlyList<BenchSystem> Systems { get; init; } = BenchSystems.All;

    /// <summary>
    /// Systems whose memory is measured while the backlog drains. Hangfire.Storage.SQLite is left out by default:
    /// at its rate a million jobs would take hours.
    /// </summary>
    public IReadOnlyList<BenchSystem> BacklogSystems { get; init; } = [BenchSystem.Courier, BenchSystem.HangfireMemory];

    /// <summary>Print JSON instead of the table.</summary>
    public bool Json { get; init; }

    /// <summary>Jobs per <c>EnqueueBatchAsync</c> call (Courier only: Hangfire has no batch enqueue).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>
    /// Longest an enqueue or drain phase may run; a system slower than that is measured over what it did by then
    /// (Hangfire.Storage.SQLite would need about ten minutes per phase for 100,000 jobs).
    /// </summary>
    public int PhaseLimitSeconds { get; init; } = 60;

    /// <summary>Longest the backlog phase's enqueue or drain may run.</summary>
    public int BacklogLimitSeconds { get; init; } = 240;

    /// <summary>Hangfire worker threads (Hangfire's own default is min(5 × cores, 20)).</summary>
    public int HangfireWorkers { get; init; } = Math.Min(Environment.ProcessorCount * 5, 20);

    /// <summary>Hangfire.Storage.SQLite queue poll interval (its default, 15 s, would dominate start latency).</summary>
    public int HangfireSqlitePollMilliseconds { get; init; } = 100;

    /// <summary>Concurrency of Courier's rule for the no-op job type.</summary>
    public int CourierConcurrency { get; init; } = 64;

    /// <summary>Jobs of the warm-up round, excluded from the figures.</summary>
    public int WarmupJobs { get; init; } = 2000;

    /// <summary>After pacing stops, how long the latency run waits for the last jobs to start.</summary>
    public int LatencyGraceSeconds { get; init; } = 10;

    /// <summary>Records per topic in the Kafka section.</summary>
    public int KafkaRecords { get; init; } = 200_000;

    /// <summary>Dead letters the dlq section writes on the embedded log.</summary>
    public int DlqRecords { get; init; } = 1_000_000;

    /// <summary>Dead letters the dlq section writes on Kafka (the mock cluster keeps about 5 MiB per partition).</summary>
    public int DlqKafkaRecords { get; init; } = 200_000;

    /// <summary>Job records the audit section writes and audits (embedded log).</summary>
    public int AuditJobs { get; init; } = 1_000_000;

    /// <summary>
    /// Partitions of each Kafka topic. The mock cluster keeps only about 5 MiB per partition (and drops the oldest
    /// records beyond that), so records × ~0.4 KB ÷ partitions must stay well below it.
    /// </summary>
    public int KafkaPartitions { get; init; } = 32;

    /// <summary>Measured rounds of the Kafka section (each: bare loop and Courier, on fresh topics).</summary>
    public int KafkaRounds { get; init; } = 2;

    /// <summary>Jobs per run of the HTTP section (each path, each round).</summary>
    public int HttpJobs { get; init; } = 100_000;

    /// <summary>Measured rounds of the HTTP section (each: in-process and HTTP, on fresh logs).</summary>
    public int HttpRounds { get; init; } = 2;

    /// <summary>Concurrency of the rule in the HTTP section, on both paths: the most requests in flight to the runner.</summary>
    public int HttpConcurrency { get; init; } = 256;

    /// <summary>Connections the runner pool keeps to the runner; 0 leaves the pool's default (the rule's concurrency).</summary>
    public int HttpConnections { get; init; }

    /// <summary>The runner's <c>MaxConcurrency</c> in the HTTP section (above the rule's, so the runner never answers 429).</summary>
    public int RunnerConcurrency { get; init; } = 512;

    /// <summary>Rounds of the detect section per engine (median and max are reported).</summary>
    public int DetectRounds { get; init; } = 3;

    /// <summary>Seconds the detect section's type succeeds before it breaks: over a minute, so the 1m windows hold only health.</summary>
    public int DetectWarmupSeconds { get; init; } = 75;

    /// <summary>Jobs per second of the detect section's type.</summary>
    public int DetectRate { get; init; } = 20;

    /// <summary>After the first failure, how long the detect section waits for the alerts before reporting one not seen.</summary>
    public int DetectLimitSeconds { get; init; } = 180;

    /// <summary>Rounds of the incident section per guard and engine.</summary>
    public int IncidentRounds { get; init; } = 3;

    /// <summary>Jobs per second of each job type in the incident section.</summary>
    public int IncidentRate { get; init; } = 20;

    /// <summary>Jobs per drain of the dedup section (each variant, each round).</summary>
    public int DedupJobs { get; init; } = 50_000;

    /// <summary>Measured rounds of the dedup section (each: every variant on a fresh log and store).</summary>
    public int DedupRounds { get; init; } = 3;

    /// <summary>Jobs per drain of the ledger section (each variant, each round).</summary>
    public int LedgerJobs { get; init; } = 50_000;

    /// <summary>Measured rounds of the ledger section (each: the ledger off and on, each on a fresh log).</summary>
    public int LedgerRounds { get; init; } = 3;

    /// <summary>Jobs per second of the Kafka start-latency section, each measured in turn.</summary>
    public IReadOnlyList<int> KafkaLatencyRates { get; init; } = [200, 10_000];

    /// <summary>Seconds each rate of <see cref="KafkaLatencyRates"/> sends for (the last value for any further rate).</summary>
    public IReadOnlyList<int> KafkaLatencySeconds { get; init; } = [20, 10];

    /// <summary>Whether the Kafka start-latency section also measures librdkafka's default <c>fetch.wait.max.ms</c> (500 ms).</summary>
    public bool KafkaLatencyReference { get; init; }

    /// <summary>Engines of the detect and incident sections.</summary>
    public IReadOnlyList<string> DetectEngines { get; init; } = ["sqlite", "kafka"];

    /// <summary>When set, this process is a child measuring one system for these phases.</summary>
    public IReadOnlyList<BenchPhase>? ChildPhases { get; init; }

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a usage hint on a bad flag.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // --quick sets smaller defaults that explicit flags still override, wherever it appears.
        var options = args.Contains("--quick")
            ? new BenchOptions
            {
                Jobs = 10_000, LatencySeconds = 5, Backlog = 100_000, PhaseLimitSeconds = 15, WarmupJobs = 500, LatencyGraceSeconds = 5,
                KafkaRecords = 50_000, KafkaRounds = 2, KafkaLatencySeconds = [5, 3], HttpJobs = 20_000, DedupJobs = 10_000, AuditJobs = 100_000, LedgerJobs = 10_000,
            }
            : new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value");
            int Number() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n : throw new ArgumentException($"{flag} needs a whole number ≥ 0");
            options = flag switch
            {
                "--quick" => options,
                "--json" => options with { Json = true },
                "--jobs" => options with { Jobs = Positive(flag, Number()) },
                "--latency-seconds" => options with { LatencySeconds = Positive(flag, Number()) },
                "--rate" => options with { LatencyRate = Positive(flag, Number()) },
                "--backlog" => options with { Backlog = Number() },
                "--backlog-systems" => options with { BacklogSystems = BenchSystems.ParseList(Value()) },
                "--only" => options with { Systems = BenchSystems.ParseList(Value()) },
                "--batch" => options with { BatchSize = Positive(flag, Number()) },
                "--phase-limit" => options with { PhaseLimitSeconds = Positive(flag, Number()) },
                "--backlog-limit" => options with { BacklogLimitSeconds = Positive(flag, Number()) },
                "--workers" => options with { HangfireWorkers = Positive(flag, Number()) },
                "--sqlite-poll-ms" => options with { HangfireSqlitePollMilliseconds = Positive(flag, Number()) },
                "--concurrency" => options with { CourierConcurrency = Positive(flag, Number()) },
                "--warmup" => options with { WarmupJobs = Number() },
                "--kafka-records" => options with { KafkaRecords = Positive(flag, Number()) },
                "--kafka-partitions" => options with { KafkaPartitions = Positive(flag, Number()) },
                "--kafka-rounds" => options with { KafkaRounds = Positive(flag, Number()) },
                "--http-jobs" => options with { HttpJobs = Positive(flag, Number()) },
                "--http-rounds" => options with { HttpRounds = Positive(flag, Number()) },
                "--http-concurrency" => options with { HttpConcurrency = Positive(flag, Number()) },
                "--http-connections" => options with { HttpConnections = Number() },
                "--runner-concurrency" => options with { RunnerConcurrency = Positive(flag, Number()) },
                "--detect-rounds" => options with { DetectRounds = Positive(flag, Number()) },
                "--detect-warmup" => options with { DetectWarmupSeconds = Number() },
                "--detect-rate" => options with { DetectRate = Positive(flag, Number()) },
                "--detect-limit" => options with { DetectLimitSeconds = Positive(flag, Number()) },
                "--detect-engines" => options with { DetectEngines = Engines(Value()) },
                "--incident-rounds" => options with { IncidentRounds = Positive(flag, Number()) },
                "--incident-rate" => options with { IncidentRate = Positive(flag, Number()) },
                "--dedup-jobs" => options with { DedupJobs = Positive(flag, Number()) },
                "--dedup-rounds" => options with { DedupRounds = Positive(flag, Number()) },
                "--ledger-jobs" => options with { LedgerJobs = Positive(flag, Number()) },
                "--ledger-rounds" => options with { LedgerRounds = Positive(flag, Number()) },
                "--dlq-records" => options with { DlqRecords = Positive(flag, Number()) },
                "--dlq-kafka-records" => options with { DlqKafkaRecords = Positive(flag, Number()) },
                "--audit-jobs" => options with { AuditJobs = Positive(flag, Number()) },
                "--kafka-latency-rates" => options with { KafkaLatencyRates = Numbers(flag, Value()) },
                "--kafka-latency-seconds" => options with { KafkaLatencySeconds = Numbers(flag, Value()) },
                "--kafka-latency-reference" => options with { KafkaLatencyReference = true },
                "--child" => options with { ChildPhases = BenchPhases.ParseList(Value()) },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"unknown flag '{flag}'\n{Usage}"),
            };
        }
        return options;
    }

    /// <summary>The flags a child needs to measure <paramref name="system"/> as the parent was asked to.</summary>
    public IReadOnlyList<string> ToChildArguments(BenchSystem system, IEnumerable<BenchPhase> phases)
    {
        static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        return
        [
            "--only", BenchSystems.Name(system),
            "--child", string.Join(',', phases.Select(BenchPhases.Name)),
            "--jobs", N(Jobs), "--latency-seconds", N(LatencySeconds), "--rate", N(LatencyRate),
            "--backlog", N(Backlog), "--batch", N(BatchSize), "--phase-limit", N(PhaseLimitSeconds),
            "--backlog-limit", N(BacklogLimitSeconds), "--workers", N(HangfireWorkers),
            "--sqlite-poll-ms", N(HangfireSqlitePollMilliseconds), "--concurrency", N(CourierConcurrency),
            "--warmup", N(WarmupJobs),
            "--kafka-records", N(KafkaRecords), "--kafka-partitions", N(KafkaPartitions), "--kafka-rounds", N(KafkaRounds),
            "--http-jobs", N(HttpJobs), "--http-rounds", N(HttpRounds), "--http-concurrency", N(HttpConcurrency),
            "--http-connections", N(HttpConnections), "--runner-concurrency", N(RunnerConcurrency),
            "--detect-rounds", N(DetectRounds), "--detect-warmup", N(DetectWarmupSeconds), "--detect-rate", N(DetectRate),
            "--detect-limit", N(DetectLimitSeconds), "--detect-engines", string.Join(',', DetectEngines),
            "--incident-rounds", N(IncidentRounds), "--incident-rate", N(IncidentRate),
            "--dedup-jobs", N(DedupJobs), "--dedup-rounds", N(DedupRounds),
            "--ledger-jobs", N(LedgerJobs), "--ledger-rounds", N(LedgerRounds),
            "--dlq-records", N(DlqRecords), "--dlq-kafka-records", N(DlqKafkaRecords), "--audit-jobs", N(AuditJobs),
            "--kafka-latency-rates", string.Join(',', KafkaLatencyRates.Select(N)),
            "--kafka-latency-seconds", string.Join(',', KafkaLatencySeconds.Select(N)),
            .. KafkaLatencyReference ? ["--kafka-latency-reference"] : Array.Empty<string>(),
        ];
    }

    public const string Usage = """
        usage: Courier.Bench [--quick] [--jobs N] [--latency-seconds S] [--rate R] [--backlog N]
                             [--only courier|hangfire-memory|hangfire-sqlite|kafka|http|detect|incident|dedup|dlq|lag|audit|ledger|kafka-latency[,...]] [--backlog-systems LIST]
                             [--batch N] [--phase-limit S] [--backlog-limit S] [--workers N] [--sqlite-poll-ms MS]
                             [--concurrency N] [--warmup N] [--kafka-records N] [--kafka-partitions N]
                             [--kafka-rounds N] [--http-jobs N] [--http-rounds N] [--http-concurrency N]
                             [--http-connections N] [--runner-concurrency N] [--detect-rounds N] [--detect-warmup S]
                             [--detect-rate R] [--detect-limit S] [--detect-engines sqlite,kafka]
                             [--incident-rounds N] [--incident-rate R] [--dedup-jobs N] [--dedup-rounds N]
                             [--ledger-jobs N] [--ledger-rounds N] [--dlq-records N] [--dlq-kafka-records N] [--audit-jobs N]
                             [--kafka-latency-rates R,R] [--kafka-latency-seconds S,S] [--kafka-latency-reference] [--json]
        The detect section (time to detect a failing type), the incident section (time to detect and stop a broken
        runner release, behind a canary and behind the breaker; on the --detect-engines) and the dedup section
        (deduplication's cost with the embedded state store and Redis; needs redis-server) and the dlq section (dead-letter
        browsing at scale: the index over a million dead letters; on the --detect-engines) and the lag section (reading lag
        of 800 partitions per partition and batched; on the --detect-engines) and the audit section (courier audit over a
        million jobs and their ledger entries, time and memory; embedded log) and the ledger section (the outcome ledger's
        cost, off against on; on the --detect-engines) and the kafka-latency section (enqueue-to-start latency on the Kafka
        mock at each of --kafka-latency-rates, Courier beside a bare producer → consumer pair, at Courier.Kafka's default
        and its low-latency profile; --kafka-latency-reference adds librdkafka's default fetch wait) run only when named in --only.
        """;

    private static List<string> Engines(string value)
    {
        var engines = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        return engines.Count > 0 && engines.All(e => e is "sqlite" or "kafka")
            ? engines : throw new ArgumentException("--detect-engines takes sqlite, kafka or both");
    }

    private static List<int> Numbers(string flag, string value)
    {
        var numbers = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            numbers.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{flag} takes whole numbers ≥ 1 separated by commas"));
        }
        return numbers.Count > 0 ? numbers : throw new ArgumentException($"{flag} needs at least one number");
    }

    private static int Positive(string flag, int value) =>
        value > 0 ? value : throw new ArgumentException($"{flag} must be at least 1");
}

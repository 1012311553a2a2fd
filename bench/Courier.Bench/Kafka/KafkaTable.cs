using System.Globalization;
using System.Text;

namespace Courier.Bench;

/// <summary>Renders the Kafka section: a table per round, the medians, and the issue's targets with PASS or MISS.</summary>
internal static class KafkaTable
{
    /// <summary>Courier ≥ this × the bare loop, first record to last.</summary>
    public const double BareTarget = 0.6;

    /// <summary>Courier ≥ this × the parse-and-dispatch baseline, first record to last.</summary>
    public const double ParseDispatchTarget = 0.9;

    /// <summary>Courier ≥ this × Wolverine's fastest mode, first record to last.</summary>
    public const double WolverineTarget = 2.0;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static void Render(StringBuilder text, KafkaResult k)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(k);
        text.AppendLine();
        text.AppendLine(Culture, $"Kafka: Courier's dispatcher beside two bare loops, a parse-and-dispatch baseline and a Wolverine listener, {k.Records:N0} records per consumer, each from a fresh topic of {k.Partitions} partitions");
        text.AppendLine("  command: " + k.Command);
        string[] header = ["consumer", "start→last /s", "first→last /s", "first record (ms)", "CPU µs/record", "of it: own threads", "librdkafka", "mock", "bytes/record", "CPU µs/record, whole", "÷ bare", "Courier ÷ it"];
        foreach (var r in k.Rounds)
        {
            text.AppendLine(Culture, $"round {r.Round} (CPU and bytes per record from the first record to the last, CPU also split by thread: the consumer's own (.NET) threads, librdkafka's client threads, the mock brokers'; \"whole\" includes start-up; ratios first to last):");
            var table = new List<List<string>> { header.ToList() };
            foreach (var run in r.Runs)
            {
                table.Add([KafkaConsumers.Name(run.Consumer), N(run.Rate.PerSecond), N(run.SteadyPerSecond), N(run.Rate.FirstJobMs ?? 0),
                    F1(run.SteadyCpuMicroseconds), F2(run.OwnCpuMicroseconds), F2(run.ClientCpuMicroseconds), F2(run.MockCpuMicroseconds),
                    N(run.SteadyAllocatedBytes), F1(run.CpuMicroseconds),
                    F2(r.SteadyRatioOf(run.Consumer, KafkaConsumer.Bare)), F2(r.SteadyRatioOf(KafkaConsumer.Courier, run.Consumer))]);
            }
            TablePrinter.AppendTable(text, table);
        }
        text.AppendLine(Culture, $"median over {k.Rounds.Count} round(s) (each figure's median; the ratio columns are medians of the rounds' ratios):");
        var medians = new List<List<string>> { header.ToList() };
        foreach (var consumer in KafkaConsumers.All)
        {
            medians.Add([KafkaConsumers.Name(consumer), N(k.Median(consumer, r => r.Rate.PerSecond)), N(k.Median(consumer, r => r.SteadyPerSecond)),
                N(k.Median(consumer, r => r.Rate.FirstJobMs ?? 0)), F1(k.Median(consumer, r => r.SteadyCpuMicroseconds)),
                F2(k.Median(consumer, r => r.OwnCpuMicroseconds)), F2(k.Median(consumer, r => r.ClientCpuMicroseconds)),
                F2(k.Median(consumer, r => r.MockCpuMicroseconds)),
                N(k.Median(consumer, r => r.SteadyAllocatedBytes)), F1(k.Median(consumer, r => r.CpuMicroseconds)),
                F2(RoundStats.Median(k.Rounds.Select(r => r.SteadyRatioOf(consumer, KafkaConsumer.Bare)))), F2(k.MedianSteadyRatioTo(consumer))]);
        }
        TablePrinter.AppendTable(text, medians);
        var fastest = k.FastestWolverine;
        Target(text, "the bare loop", k.MedianSteadyRatioTo(KafkaConsumer.Bare), BareTarget);
        Target(text, "the parse-and-dispatch baseline", k.MedianSteadyRatioTo(KafkaConsumer.ParseDispatch), ParseDispatchTarget);
        Target(text, $"Wolverine's fastest mode here ({KafkaConsumers.Name(fastest)})", k.MedianSteadyRatioTo(fastest), WolverineTarget);
        text.AppendLine(Culture, $"median Courier/bare from start to the last record: {k.MedianRatio:N2}");
        text.AppendLine("  settings: " + string.Join("; ", k.Settings.Select(kv => $"{kv.Key}: {kv.Value}")));
        if (k.Enqueue is { } e)
        {
            text.AppendLine(Culture, $"  producing the records (CourierClient.EnqueueBatchAsync on KafkaJobLog, batches of 1,000): {e.PerSecond:N0}/s");
        }
        foreach (var r in k.Rounds)
        {
            foreach (var run in r.Runs)
            {
                var committed = run.CommittedRecords is { } c ? string.Create(Culture, $" (offsets committed in order for {c:N0} records)")
                    : run.ListenerPauses is { } p ? string.Create(Culture, $" (listener stopped by back pressure {p} time(s))") : "";
                TablePrinter.Describe(text, $"round {r.Round} {KafkaConsumers.Name(run.Consumer)}{committed}", run.Rate);
            }
        }
    }

    private static void Target(StringBuilder text, string what, double ratio, double target) =>
        text.AppendLine(Culture, $"target: Courier ≥ {target:0.0#} × {what}, first to last, median: {ratio:N2} → {(ratio >= target ? "PASS" : "MISS")}");

    private static string N(double value) => value.ToString("N0", Culture);

    private static string F1(double value) => value.ToString("N1", Culture);

    private static string F2(double value) => value.ToString("N2", Culture);
}

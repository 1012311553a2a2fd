using System.Globalization;
using System.Text;
using Courier.Bench.Audit;
using Courier.Bench.Dedup;
using Courier.Bench.Dlq;
using Courier.Bench.Lag;
using Courier.Bench.Ledger;
using Courier.Bench.Detect;
using Courier.Bench.Http;
using Courier.Bench.Incident;
using Courier.Bench.Limit;
using Courier.Bench.KafkaLatency;

namespace Courier.Bench;

/// <summary>Renders a <see cref="BenchReport"/> as a plain-text table with Courier ÷ Hangfire ratios.</summary>
internal static class TablePrinter
{
    private const double MiB = 1024 * 1024;

    private sealed record Row(string Label, Func<SystemResult, double?> Value, string Format, bool Ratio = true);

    public static string Render(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Machine;
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Courier.Bench  {m.Date:yyyy-MM-dd HH:mm} UTC  {m.Cores} cores ({m.Cpu})  {m.MemoryBytes / (1024.0 * MiB):0.0} GiB  {m.Runtime}  {m.Os}");
        text.AppendLine(culture, $"load average (1/5/15 min) at start {m.LoadAverageAtStart}, at end {m.LoadAverageAtEnd}");
        text.AppendLine(culture, $"command: {report.CommandLine}");
        text.AppendLine();

        var backlog = report.Backlog.ToString("N0", culture);
        var rows = new List<Row>
        {
            new("enqueue (jobs/s)", r => r.Enqueue?.PerSecond, "N0"),
            new("processing, end to end (jobs/s)", r => r.Processing?.PerSecond, "N0"),
            new($"start latency p50 (ms) at {report.LatencyRate}/s", r => r.Latency?.P50Ms, "N1"),
            new("start latency p95 (ms)", r => r.Latency?.P95Ms, "N1"),
            new("start latency p99 (ms)", r => r.Latency?.P99Ms, "N1"),
            new("start latency max (ms)", r => r.Latency?.MaxMs, "N1"),
            new("latency run: jobs started / sent (%)", r => r.Latency is { } l ? 100.0 * l.Started / l.Sent : null, "N1", Ratio: false),
            new("processing: first job after start (ms)", r => r.Processing?.FirstJobMs, "N1"),
            new("processing: CPU per job (µs)", r => PerJob(r.Processing, p => p.CpuSeconds * 1e6), "N1"),
            new("processing: allocated per job (bytes)", r => PerJob(r.Processing, p => p.AllocatedBytes), "N0"),
            new("processing: peak working set (MiB)", r => r.Processing?.PeakWorkingSetBytes / MiB, "N0"),
            new($"backlog {backlog}: enqueue (jobs/s)", r => r.Backlog?.Enqueue.PerSecond, "N0"),
            new($"backlog {backlog}: drain (jobs/s)", r => r.Backlog?.Drain.PerSecond, "N0"),
            new("backlog: working set before drain (MiB)", r => r.Backlog?.WorkingSetBeforeDrainBytes / MiB, "N0"),
            new("backlog: peak working set in drain (MiB)", r => r.Backlog?.Drain.PeakWorkingSetBytes / MiB, "N0"),
            new("backlog: peak GC heap in drain (MiB)", r => r.Backlog?.Drain.PeakGcHeapBytes / MiB, "N0"),
        };

        // The Kafka section compares Courier with bare loops and peers on Kafka, not with Hangfire: it gets a table of its own.
        // So does the HTTP section, which compares Courier's two executors.
        var kafkaName = BenchSystems.Name(BenchSystem.Kafka);
        var httpName = BenchSystems.Name(BenchSystem.Http);
        var detectName = BenchSystems.Name(BenchSystem.Detect);
        var systems = report.Systems.Where(s => s.System != kafkaName && s.System != httpName && s.System != detectName
            && s.System != BenchSystems.Name(BenchSystem.Incident) && s.System != BenchSystems.Name(BenchSystem.Dedup)
            && s.System != BenchSystems.Name(BenchSystem.Dlq) && s.System != BenchSystems.Name(BenchSystem.Lag)
            && s.System != BenchSystems.Name(BenchSystem.Audit)
            && s.System != BenchSystems.Name(BenchSystem.Ledger)
            && s.System != BenchSystems.Name(BenchSystem.KafkaLatency)).ToList();
        var courier = systems.FirstOrDefault(s => s.System == BenchSystems.Name(BenchSystem.Courier));
        var others = systems.Where(s => s != courier).ToList();
        var header = new List<string> { "metric" };
        header.AddRange(systems.Select(s => s.Title));
        if (courier is not null)
        {
            header.AddRange(others.Select(o => $"Courier/{o.Title.Replace("Hangfire", "HF", StringComparison.Ordinal)}"));
        }
        var table = new List<List<string>> { header };
        foreach (var row in rows.Where(r => systems.Any(s => r.Value(s) is not null)))
        {
            var line = new List<string> { row.Label };
            line.AddRange(systems.Select(s => Format(row.Value(s), row.Format)));
            if (courier is not null)
            {
                line.AddRange(others.Select(o => row.Ratio ? Ratio(row.Value(courier), row.Value(o)) : ""));
            }
            table.Add(line);
        }
        if (systems.Count > 0)
        {
            AppendTable(text, table);
            text.AppendLine();
            text.AppendLine("Ratios are Courier's figure divided by the other's: above 1 is better for rates, below 1 is better for latency, CPU and memory.");
        }
        if (courier?.SqliteLimit is { } limit)
        {
            SqliteLimitTable.Render(text, courier, limit);
        }
        foreach (var kafka in report.Systems.Where(s => s.System == kafkaName))
        {
            if (kafka.Kafka is { } k)
            {
                RenderKafka(text, k);
            }
            else
            {
                text.AppendLine().AppendLine(culture, $"Kafka: ERROR: {kafka.Error ?? "no result"}");
            }
        }
        foreach (var http in report.Systems.Where(s => s.System == httpName))
        {
            if (http.Http is { } h)
            {
                RenderHttp(text, h, report.LatencyRate);
            }
            else
            {
                text.AppendLine().AppendLine(culture, $"HTTP runners: ERROR: {http.Error ?? "no result"}");
            }
        }
        // Sections of their own, each a table or the child's error under the section's title.
        Section(text, report, BenchSystem.Incident, r => r.Incident, IncidentTable.Render);
        Section(text, report, BenchSystem.Dedup, r => r.Dedup, DedupTable.Render);
        Section(text, report, BenchSystem.Dlq, r => r.Dlq, DlqTable.Render);
        Section(text, report, BenchSystem.Lag, r => r.Lag, LagTable.Render);
        Section(text, report, BenchSystem.Audit, r => r.Audit, AuditTable.Render);
        Section(text, report, BenchSystem.Ledger, r => r.Ledger, LedgerTable.Render);
        Section(text, report, BenchSystem.Detect, r => r.Detect, DetectTable.Render);
        Section(text, report, BenchSystem.KafkaLatency, r => r.KafkaLatency, KafkaLatencyTable.Render);

        foreach (var s in systems)
        {
            text.AppendLine();
            text.AppendLine(culture, $"{s.Title}: {s.EnqueueMethod}");
            if (s.Settings.Count > 0)
            {
                text.AppendLine("  settings: " + string.Join(", ", s.Settings.Select(kv => $"{kv.Key}={kv.Value}")));
            }
            Describe(text, "enqueue", s.Enqueue);
            Describe(text, "processing", s.Processing);
            if (s.Latency is { } l)
            {
                text.AppendLine(culture,
                    $"  latency: sent {l.Sent:N0} at {l.SentRate:N1}/s (target {l.TargetRate}/s), started {l.Started:N0}, duplicates {l.Duplicates}, mean {l.MeanMs:N1} ms, mean enqueue call {l.MeanEnqueueMs:N2} ms, max send lag {l.MaxSendLagMs:N1} ms");
            }
            if (s.Backlog is { } b)
            {
                Describe(text, "backlog enqueue", b.Enqueue);
                Describe(text, "backlog drain", b.Drain);
            }
            if (s.Error is not null)
            {
                text.AppendLine(culture, $"  ERROR: {s.Error}");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// Each run of <paramref name="system"/> in the report: its section rendered by <paramref name="render"/>, or, when
    /// its child gave no result, the error under the section's title.
    /// </summary>
    private static void Section<T>(StringBuilder text, BenchReport report, BenchSystem system, Func<SystemResult, T?> result,
        Action<StringBuilder, T> render) where T : class
    {
        foreach (var run in report.Systems.Where(s => s.System == BenchSystems.Name(system)))
        {
            if (result(run) is { } section)
            {
                render(text, section);
            }
            else
            {
                text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{BenchSystems.Title(system)}: ERROR: {run.Error ?? "no result"}");
            }
        }
    }

    internal static void AppendTable(StringBuilder text, List<List<string>> table)
    {
        var widths = Enumerable.Range(0, table[0].Count).Select(c => table.Max(l => l[c].Length)).ToList();
        foreach (var line in table)
        {
            text.AppendLine(string.Join("  ", line.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }

    private static void RenderKafka(StringBuilder text, KafkaResult k) => KafkaTable.Render(text, k);

    private static void RenderHttp(StringBuilder text, HttpResult h, int latencyRate)
    {
        var culture = CultureInfo.InvariantCulture;
        string N(double value) => value.ToString("N0", culture);
        string F(double? value) => value is { } v ? v.ToString("N1", culture) : "–";
        string Cpu(RateResult r, double extraSeconds = 0) => r.Jobs > 0 ? ((r.CpuSeconds + extraSeconds) * 1e6 / r.Jobs).ToString("N1", culture) : "–";
        text.AppendLine();
        text.AppendLine(culture, $"HTTP runners: the dispatcher (SQLite) running {h.Jobs:N0} no-op jobs per run through a runner process on loopback, beside its in-process executor");
        var table = new List<List<string>> { new() { "metric", "in-process", "HTTP runner", "HTTP/in-process" } };
        foreach (var r in h.Rounds)
        {
            table.Add([$"round {r.Round}: jobs/s, start to last job", N(r.InProcess.PerSecond), N(r.Http.PerSecond), r.Ratio.ToString("N2", culture)]);
            table.Add([$"round {r.Round}: first job after (ms)", F(r.InProcess.FirstJobMs), F(r.Http.FirstJobMs), ""]);
            table.Add([$"round {r.Round}: CPU per job, dispatcher (µs)", Cpu(r.InProcess), Cpu(r.Http), ""]);
            table.Add([$"round {r.Round}: CPU per job, both processes (µs)", Cpu(r.InProcess), Cpu(r.Http, r.RunnerCpuSeconds), ""]);
        }
        if (h.InProcessLatency is { } a && h.HttpLatency is { } b)
        {
            table.Add([$"start latency p50 (ms) at {latencyRate}/s", F(a.P50Ms), F(b.P50Ms), ""]);
            table.Add(["start latency p95 (ms)", F(a.P95Ms), F(b.P95Ms), ""]);
            table.Add(["start latency p99 (ms)", F(a.P99Ms), F(b.P99Ms), ""]);
            table.Add(["start latency max (ms)", F(a.MaxMs), F(b.MaxMs), ""]);
            table.Add(["latency run: jobs started / sent (%)", F(100.0 * a.Started / a.Sent), F(100.0 * b.Started / b.Sent), ""]);
        }
        AppendTable(text, table);
        text.AppendLine(culture, $"median jobs/s: HTTP {N(h.MedianHttpPerSecond)} (target ≥ 10,000), in-process {N(h.MedianInProcessPerSecond)}");
        text.AppendLine("  settings: " + string.Join("; ", h.Settings.Select(kv => $"{kv.Key}: {kv.Value}")));
        foreach (var r in h.Rounds)
        {
            Describe(text, $"round {r.Round} in-process", r.InProcess);
            Describe(text, $"round {r.Round} HTTP (dispatcher process; runner CPU {r.RunnerCpuSeconds.ToString("N2", culture)} s)", r.Http);
        }
        if (h.HttpLatency is { } l)
        {
            text.AppendLine(culture,
                $"  HTTP latency: sent {l.Sent:N0} at {l.SentRate:N1}/s, started {l.Started:N0}, duplicates {l.Duplicates}, mean {l.MeanMs:N1} ms, mean enqueue call {l.MeanEnqueueMs:N2} ms, max send lag {l.MaxSendLagMs:N1} ms");
        }
        BareHttpTable.Render(text, h);
    }

    internal static void Describe(StringBuilder text, string name, RateResult? r)
    {
        if (r is null)
        {
            return;
        }
        var capped = r.Jobs < r.Planned ? $" (phase limit reached: {r.Jobs:N0} of {r.Planned:N0})" : "";
        var first = r.FirstJobMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $", first job after {ms:N1} ms") : "";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  {name}: {r.Jobs:N0} jobs in {r.Seconds:N2} s = {r.PerSecond:N0}/s{capped}{first}; CPU {r.CpuSeconds:N2} s, allocated {r.AllocatedBytes / MiB:N0} MiB, GCs {string.Join('/', r.Collections)}, peak working set {r.PeakWorkingSetBytes / MiB:N0} MiB, peak GC heap {r.PeakGcHeapBytes / MiB:N0} MiB");
    }

    private static double? PerJob(RateResult? r, Func<RateResult, double> total) =>
        r is { Jobs: > 0 } ? total(r) / r.Jobs : null;

    private static string Format(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Ratio(double? courier, double? other)
    {
        if (courier is not { } c || other is not { } o || o <= 0)
        {
            return "–";
        }
        var ratio = c / o;
        return ratio switch
        {
            >= 10 => ratio.ToString("N0", CultureInfo.InvariantCulture) + "×",
            // A tiny ratio reads better as a fraction: "1/4,700×" rather than "0.00×".
            < 0.1 when c > 0 => "1/" + (o / c).ToString("N0", CultureInfo.InvariantCulture) + "×",
            _ => ratio.ToString("N2", CultureInfo.InvariantCulture) + "×",
        };
    }
}

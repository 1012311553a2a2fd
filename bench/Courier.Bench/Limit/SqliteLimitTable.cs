using System.Globalization;
using System.Text;

namespace Courier.Bench.Limit;

/// <summary>Renders Courier's embedded rates as ratios of the physical limit measured beside them.</summary>
internal static class SqliteLimitTable
{
    public static void Render(StringBuilder text, SystemResult courier, SqliteLimitResult limit)
    {
        var culture = CultureInfo.InvariantCulture;
        string N(double? value) => value is { } v ? v.ToString("N0", culture) : "–";
        string F(double? value) => value is { } v ? v.ToString("N1", culture) : "–";
        string R(double? c, double? l) => c is { } a && l is { } b && b > 0 ? (a / b).ToString("N2", culture) : "–";
        double? Cpu(RateResult? r) => r is { Jobs: > 0 } ? r.CpuSeconds * 1e6 / r.Jobs : null;
        double? Alloc(RateResult? r) => r is { Jobs: > 0 } ? (double)r.AllocatedBytes / r.Jobs : null;
        var enqueue = courier.Enqueue;
        var processing = courier.Processing;
        // Start-up (the dispatcher joining its group, first fetch) left out: the limit has none.
        double? steady = processing is { FirstJobMs: { } first } && processing.Seconds - (first / 1000) > 0
            ? processing.Jobs / (processing.Seconds - (first / 1000)) : null;
        double? both = enqueue is { Seconds: > 0 } && processing is { Seconds: > 0 }
            ? Math.Min(enqueue.Jobs, processing.Jobs) / (enqueue.Seconds + processing.Seconds) : null;
        var s = limit.Settings;
        text.AppendLine();
        text.AppendLine(culture,
            $"Embedded engine against its physical limit: the same {limit.Records:N0} records ({limit.MeanRecordBytes:N0} bytes of key, headers and value on average), "
            + $"appended in transactions of {limit.BatchSize:N0} and read back in offset order with plain SQLite under the engine's settings, in this process");
        var table = new List<List<string>>
        {
            new() { "records/s", "Courier (SQLite)", "physical limit", "Courier/limit" },
            new() { "enqueue / durable append", N(enqueue?.PerSecond), N(limit.Append.PerSecond), R(enqueue?.PerSecond, limit.Append.PerSecond) },
            new() { "processing / in-order read + offset commit", N(processing?.PerSecond), N(limit.Read.PerSecond), R(processing?.PerSecond, limit.Read.PerSecond) },
            new() { "processing from its first job / the same read", N(steady), N(limit.Read.PerSecond), R(steady, limit.Read.PerSecond) },
            new() { "both, one after the other", N(both), N(limit.RoundTripPerSecond), R(both, limit.RoundTripPerSecond) },
            new() { "CPU per record, enqueue / append (µs)", F(Cpu(enqueue)), F(Cpu(limit.Append)), R(Cpu(enqueue), Cpu(limit.Append)) },
            new() { "CPU per record, processing / read (µs)", F(Cpu(processing)), F(Cpu(limit.Read)), R(Cpu(processing), Cpu(limit.Read)) },
            new() { "allocated per record, enqueue / append (bytes)", N(Alloc(enqueue)), N(Alloc(limit.Append)), "" },
            new() { "allocated per record, processing / read (bytes)", N(Alloc(processing)), N(Alloc(limit.Read)), "" },
        };
        TablePrinter.AppendTable(text, table);
        text.AppendLine("  Courier/limit: the share of the limit's rate Courier reaches (1 = at the limit); on CPU rows, how many times the limit's CPU it spends");
        text.AppendLine(culture,
            $"  limit's SQLite, read back from its connection: journal_mode={Get(s, "journal_mode")}, synchronous={Get(s, "synchronous")}, page_size={Get(s, "page_size")}, "
            + $"cache_size={Get(s, "cache_size")}, wal_autocheckpoint={Get(s, "wal_autocheckpoint")}, SQLite {Get(s, "sqlite")}; file and tables created by SqliteJobLog.Open");
        text.AppendLine("  the limit starts from the encoded bytes and keeps offsets in memory (one writer); Courier encodes each job, keeps offsets in the file for");
        text.AppendLine("  other processes, and its processing runs every job through the dispatcher (concurrency, handler, commits every 200 ms) while it reads");
        TablePrinter.Describe(text, "physical limit, append", limit.Append);
        TablePrinter.Describe(text, "physical limit, read", limit.Read);
    }

    private static string Get(IReadOnlyDictionary<string, string> settings, string key) =>
        settings.TryGetValue(key, out var value) ? value : "?";
}

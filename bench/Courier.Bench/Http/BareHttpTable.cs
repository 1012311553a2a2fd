using System.Globalization;
using System.Text;

namespace Courier.Bench.Http;

/// <summary>Renders Courier's HTTP path beside the bare Kestrel POST loops of the same rounds.</summary>
internal static class BareHttpTable
{
    public static void Render(StringBuilder text, HttpResult h)
    {
        var rounds = h.Rounds.Where(r => r.BareHttp1 is not null && r.BareH2c is not null).ToList();
        if (rounds.Count == 0)
        {
            return;
        }
        var culture = CultureInfo.InvariantCulture;
        string N(double value) => value.ToString("N0", culture);
        string F(double value) => value.ToString("N1", culture);
        string R(double a, double b) => b > 0 ? (a / b).ToString("N2", culture) : "–";
        double Cpu(HttpRound r) => r.Http.Jobs > 0 ? (r.Http.CpuSeconds + r.RunnerCpuSeconds) * 1e6 / r.Http.Jobs : 0;
        text.AppendLine();
        text.AppendLine(culture,
            $"HTTP runners against a bare Kestrel POST loop: the same {h.Jobs:N0} signed job events per run, the same client settings and requests in flight, no dispatcher");
        var table = new List<List<string>>
        {
            new() { "requests/s", "Courier HTTP", "bare HTTP/1.1", "bare h2c", "Courier/bare HTTP/1.1", "Courier/bare h2c" },
        };
        foreach (var r in rounds)
        {
            var (b1, b2) = (r.BareHttp1!, r.BareH2c!);
            table.Add([$"round {r.Round}: jobs or requests/s", N(r.Http.PerSecond), N(b1.Rate.PerSecond), N(b2.Rate.PerSecond),
                R(r.Http.PerSecond, b1.Rate.PerSecond), R(r.Http.PerSecond, b2.Rate.PerSecond)]);
            table.Add([$"round {r.Round}: CPU per request, both processes (µs)", F(Cpu(r)), F(b1.CpuPerRequestMicros), F(b2.CpuPerRequestMicros),
                R(Cpu(r), b1.CpuPerRequestMicros), R(Cpu(r), b2.CpuPerRequestMicros)]);
            table.Add([$"round {r.Round}: CPU per request, runner process (µs)", F(r.Http.Jobs > 0 ? r.RunnerCpuSeconds * 1e6 / r.Http.Jobs : 0),
                F(b1.Rate.Jobs > 0 ? b1.RunnerCpuSeconds * 1e6 / b1.Rate.Jobs : 0), F(b2.Rate.Jobs > 0 ? b2.RunnerCpuSeconds * 1e6 / b2.Rate.Jobs : 0), "", ""]);
        }
        TablePrinter.AppendTable(text, table);
        text.AppendLine("  Courier/bare: the share of the bare loop's rate Courier's HTTP path reaches (1 = at the limit); on CPU rows, how many times the bare loop's CPU it spends");
        var medianH2c = RoundStats.Median(rounds.Select(r => r.Http.PerSecond / Math.Max(1, r.BareH2c!.Rate.PerSecond)));
        text.AppendLine(culture,
            $"median Courier/bare: {h.MedianBareRatio:N2} against HTTP/1.1 (the protocol the runner pool speaks), {medianH2c:N2} against h2c (a reference: the pool has no HTTP/2)");
        foreach (var r in rounds)
        {
            TablePrinter.Describe(text, $"round {r.Round} bare HTTP/1.1 (client process; runner CPU {r.BareHttp1!.RunnerCpuSeconds.ToString("N2", culture)} s)", r.BareHttp1.Rate);
            TablePrinter.Describe(text, $"round {r.Round} bare h2c (client process; runner CPU {r.BareH2c!.RunnerCpuSeconds.ToString("N2", culture)} s)", r.BareH2c.Rate);
        }
    }
}

using System.Text.Json;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Demo;

public sealed class DemoWorkloadTests
{
    [Fact]
    public void Create_IsReproducible_ForTheSameSeed()
    {
        var a = DemoWorkload.Create(500, seed: 7);
        var b = DemoWorkload.Create(500, seed: 7);
        var c = DemoWorkload.Create(500, seed: 8);

        Assert.Equal(a.Requests.Select(Describe), b.Requests.Select(Describe));
        Assert.NotEqual(a.Requests.Select(Describe), c.Requests.Select(Describe));
    }

    [Fact]
    public void Expected_CountsEveryJobOnce_WithTheDesignedMix()
    {
        var workload = DemoWorkload.Create(20_000);
        var expected = workload.Expected.Values.ToList();

        Assert.Equal(20_000, expected.Sum(e => e.Jobs));
        Assert.All(expected, e => Assert.Equal(e.Jobs, e.Succeeded + e.DeadLettered + e.Deduplicated + e.Superseded));
        Assert.Equal(DemoJobTypes.All.Order(), workload.Expected.Keys.Order());
        Assert.Equal(20_000, workload.Requests.Count);
        // Recount each type's jobs and outcomes from the requests themselves (type, simulated failures, title), not
        // from the tallies Create kept while generating them.
        Assert.Equal(Recount(workload.Requests, DemoRules.Retry().Limit), Describe(workload.Expected));
        // Roughly 8 % retried then succeeded, 2 % permanent, 0.5 % exhausted retries, a few decode failures.
        Assert.InRange(expected.Sum(e => e.RetriedThenSucceeded), 1_400, 1_800);
        Assert.InRange(expected.Sum(e => e.DeadLetteredByClass.GetValueOrDefault(FailureClass.Permanent)), 300, 500);
        Assert.InRange(expected.Sum(e => e.DeadLetteredByClass.GetValueOrDefault(FailureClass.Retryable)), 60, 140);
        Assert.InRange(expected.Sum(e => e.DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode)), 1, 40);
        Assert.Equal(0, workload.Expected[DemoJobTypes.RefreshLinks].DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode));
        // 1 % repeats: 50 duplicate pairs (one of each deduplicated) and 50 root jobs with an older copy (superseded).
        Assert.Equal((50, 50), (workload.Expected[DemoJobTypes.HtmlCacheUpdate].Deduplicated, workload.Expected[DemoJobTypes.HtmlCacheUpdate].Superseded));
    }

    [Fact]
    public void Requests_BindToTheHandlersParams()
    {
        foreach (var request in DemoWorkload.Create(300).Requests)
        {
            var json = Assert.IsType<JsonElement>(request.Params);
            object? bound = request.Type switch
            {
                DemoJobTypes.MassMessage => json.Deserialize<MassMessageParams>(DemoJobs.ParamsOptions),
                DemoJobTypes.HtmlCacheUpdate => json.Deserialize<HtmlCacheUpdateParams>(DemoJobs.ParamsOptions),
                _ => json.Deserialize<RefreshLinksParams>(DemoJobs.ParamsOptions),
            };
            Assert.NotNull(bound);
            Assert.False(json.GetProperty("title").TryGetProperty("isValid", out _), "computed title properties must not be serialized");
        }
    }

    private static string Describe(JobRequest request) => request.Type + request.Database + JsonSerializer.Serialize(request.Params);

    private static string Describe(IReadOnlyDictionary<string, DemoExpectation> expected) => string.Join("\n", expected
        .OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => $"{kv.Key} jobs={kv.Value.Jobs} succeeded={kv.Value.Succeeded} retried={kv.Value.RetriedThenSucceeded} "
            + string.Join(" ", kv.Value.DeadLetteredByClass.Where(d => d.Value > 0).OrderBy(d => d.Key).Select(d => $"{d.Key}={d.Value}"))
            + $" deduplicated={kv.Value.Deduplicated} superseded={kv.Value.Superseded}"));

    /// <summary>How each request should end, read off its params the way the demo handlers and the dispatcher treat them.</summary>
    private static string Recount(IReadOnlyList<JobRequest> requests, int retryLimit)
    {
        var outcomes = new List<(string Type, string Outcome)>();
        // The dispatcher with a state store: a second job of the same sha1 (its root job older than the first run) is
        // deduplicated, and a job whose root job is older than the newest of its signature superseded.
        var newestRoot = requests.Where(r => r.RootEvent is not null).GroupBy(r => r.RootEvent!.Signature)
            .ToDictionary(g => g.Key, g => g.Max(r => r.RootEvent!.Dt));
        var ran = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request.RootEvent is { } root && root.Dt < newestRoot[root.Signature])
            {
                outcomes.Add((request.Type, "superseded"));
                continue;
            }
            if (request.Deduplicate && !ran.Add(request.Type + request.Database + JsonSerializer.Serialize(request.Params)))
            {
                outcomes.Add((request.Type, "deduplicated"));
                continue;
            }
            var json = Assert.IsType<JsonElement>(request.Params);
            var simulate = json.TryGetProperty("simulate", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
            var failAttempts = simulate.ValueKind == JsonValueKind.Object && simulate.TryGetProperty("fail_attempts", out var f) ? f.GetInt32() : 0;
            var permanent = simulate.ValueKind == JsonValueKind.Object && simulate.TryGetProperty("permanent", out _);
            var title = json.GetProperty("title");
            var special = title.GetProperty("namespace").GetInt32() < 0 || string.IsNullOrWhiteSpace(title.GetProperty("dbkey").GetString());
            var outcome = special ? nameof(FailureClass.Decode)
                : permanent ? nameof(FailureClass.Permanent)
                : failAttempts > retryLimit ? nameof(FailureClass.Retryable)
                : failAttempts > 0 ? "retried"
                : "succeeded";
            outcomes.Add((request.Type, outcome));
        }
        return string.Join("\n", outcomes.GroupBy(o => o.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            int Count(string outcome) => g.Count(o => o.Outcome == outcome);
            var dead = new[] { FailureClass.Permanent, FailureClass.Retryable, FailureClass.Decode }
                .Select(c => (Class: c, Count: Count(c.ToString()))).Where(d => d.Count > 0).OrderBy(d => d.Class);
            return $"{g.Key} jobs={g.Count()} succeeded={Count("succeeded") + Count("retried")} retried={Count("retried")} "
                + string.Join(" ", dead.Select(d => $"{d.Class}={d.Count}"))
                + $" deduplicated={Count("deduplicated")} superseded={Count("superseded")}";
        }));
    }
}

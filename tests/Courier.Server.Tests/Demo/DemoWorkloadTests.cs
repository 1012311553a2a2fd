using System.Text.Json;
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
        Assert.All(expected, e => Assert.Equal(e.Jobs, e.Succeeded + e.DeadLettered));
        Assert.Equal(DemoJobTypes.All.Order(), workload.Expected.Keys.Order());
        Assert.Equal(workload.Requests.Count, workload.Requests.Select(r => r.Type).Count());
        // Roughly 8 % retried then succeeded, 2 % permanent, 0.5 % exhausted retries, a few decode failures.
        Assert.InRange(expected.Sum(e => e.RetriedThenSucceeded), 1_400, 1_800);
        Assert.InRange(expected.Sum(e => e.DeadLetteredByClass.GetValueOrDefault(FailureClass.Permanent)), 300, 500);
        Assert.InRange(expected.Sum(e => e.DeadLetteredByClass.GetValueOrDefault(FailureClass.Retryable)), 60, 140);
        Assert.InRange(expected.Sum(e => e.DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode)), 1, 40);
        Assert.Equal(0, workload.Expected[DemoJobTypes.RefreshLinks].DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode));
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
}

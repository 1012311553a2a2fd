using System.Text.Json;
using Courier.Canaries;
using Xunit;

namespace Courier.Tests.Canaries;

/// <summary>How jobs are sliced between a canary and stable.</summary>
public sealed class CanarySlicerTests
{
    [Fact]
    public void Bucket_IsFnv1aOfTheUtf8Key_Modulo100()
    {
        // FNV-1a 32 of "" is the offset basis 2166136261 (→ 61); of "a" it is 0xE40C292C = 3826002220 (→ 20).
        Assert.Equal(61, CanarySlicer.Bucket(""));
        Assert.Equal(20, CanarySlicer.Bucket("a"));
        Assert.Equal(CanarySlicer.Bucket("enwiki"), CanarySlicer.Bucket("enwiki"));
        Assert.Equal(CanarySlicer.Bucket(new string('é', 300)), CanarySlicer.Bucket(new string('é', 300))); // past the stack buffer
    }

    [Fact]
    public void ToCanary_OnlyGrowsWithTheWeight_AndSplitsKeysEvenly()
    {
        var keys = Enumerable.Range(0, 10_000).Select(i => $"job-{i}").ToList();
        foreach (var key in keys.Take(500))
        {
            var first = Enumerable.Range(0, 101).First(w => CanarySlicer.ToCanary(key, w) || w == 100);
            Assert.All(Enumerable.Range(first + 1, 100 - first), w => Assert.True(CanarySlicer.ToCanary(key, w)));
        }
        Assert.InRange(keys.Count(k => CanarySlicer.ToCanary(k, 10)), 800, 1200);
        Assert.InRange(keys.Count(k => CanarySlicer.ToCanary(k, 50)), 4700, 5300);
        Assert.All(keys, k => Assert.False(CanarySlicer.ToCanary(k, 0)));
        Assert.All(keys, k => Assert.True(CanarySlicer.ToCanary(k, 100)));
    }

    [Fact]
    public void Database_IsParamsDatabase_ElseTheEventsDatabase_ElseMetaDomain()
    {
        Assert.Equal("frwiki", CanarySlicer.DatabaseOf(Event("enwiki", """{"database":"frwiki"}""", "en.wikipedia.org")));
        Assert.Equal("enwiki", CanarySlicer.DatabaseOf(Event("enwiki", """{"database":5}""", "en.wikipedia.org")));
        Assert.Equal("en.wikipedia.org", CanarySlicer.DatabaseOf(Event("", "{}", "en.wikipedia.org")));
        var job = Event("enwiki", "{}", null);
        Assert.Equal("enwiki", CanarySlicer.KeyOf(job, CanarySliceKind.Database));
        Assert.Equal(job.Meta.Id, CanarySlicer.KeyOf(job, CanarySliceKind.JobId));
    }

    private static JobEvent Event(string database, string parameters, string? domain) => new()
    {
        Meta = new JobMeta { Id = Guid.NewGuid().ToString(), Dt = DateTimeOffset.UnixEpoch, Domain = domain },
        Database = database,
        Type = "alpha",
        Params = JsonDocument.Parse(parameters).RootElement,
    };
}

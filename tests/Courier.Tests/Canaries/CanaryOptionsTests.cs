using Courier.Canaries;
using Xunit;

namespace Courier.Tests.Canaries;

/// <summary>A pool's canary is validated with the pool, each problem naming the pool.</summary>
public sealed class CanaryOptionsTests
{
    public static TheoryData<Action<CanaryOptions>, string> Problems => new()
    {
        { c => c.Urls.Clear(), "runner pool 'jobrunners': canary: no URLs" },
        { c => c.Urls.Add(new Uri("ftp://b/")), "runner pool 'jobrunners': canary: 'ftp://b/' is not an absolute http or https URL" },
        { c => c.Steps.Remove(100), "canary: steps must increase within 1..100 and end at 100, got [10, 50]" },
        { c => { c.Steps.Clear(); c.Steps.Add(50); c.Steps.Add(10); c.Steps.Add(100); }, "canary: steps must increase" },
        { c => c.StepAfter = TimeSpan.Zero, "canary: step_after must be positive" },
        { c => c.Databases.Add("testwiki"), "canary: databases needs slice: database" },
        { c => c.Gate.Floor = 2, "canary: gate needs floor within 0..1" },
        { c => c.Judge.Intervals = 1, "canary: judge needs a positive interval, intervals >= 2" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Validate_NamesThePoolAndTheProblem(Action<CanaryOptions> spoil, string expected)
    {
        var canary = new CanaryOptions { Urls = [new Uri("http://10.0.0.9:5080")] };
        spoil(canary);
        var pool = new RunnerPoolOptions { Name = "jobrunners", Urls = [new Uri("http://10.0.0.1:5080")], Canary = canary };

        var error = Assert.Throws<ArgumentException>(pool.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CanarySide_IsThePoolWithTheCanarysUrlsAndRelease()
    {
        var pool = new RunnerPoolOptions
        {
            Name = "jobrunners", Urls = [new Uri("http://10.0.0.1:5080")], Mode = RunnerMode.MediaWiki, Release = "wmf.12",
            ExecutionLimit = TimeSpan.FromSeconds(30),
            Canary = new CanaryOptions { Urls = [new Uri("http://10.0.0.9:5080")], Release = "wmf.13" },
        };

        var side = pool.CanarySide();

        Assert.Equal(("jobrunners", RunnerMode.MediaWiki, "wmf.13", TimeSpan.FromSeconds(30)), (side.Name, side.Mode, side.Release, side.ExecutionLimit));
        Assert.Equal([new Uri("http://10.0.0.9:5080")], side.Urls);
        Assert.Null(side.Canary);
        pool.Validate();
    }
}

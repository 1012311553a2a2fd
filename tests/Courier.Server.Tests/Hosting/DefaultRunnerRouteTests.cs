using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary><c>dispatcher.defaults.runner</c> routes every job topic — not only the types the configuration names.</summary>
public sealed class DefaultRunnerRouteTests
{
    private const string Pool = """
        runners:
          jobrunners: { mode: mediawiki, urls: [ "http://127.0.0.1:1/rpc/RunSingleJob.php" ] }
        """;

    [Fact]
    public async Task DefaultsNamingAPool_AddAPatternOverEveryJobTopic_AfterTheConfiguredOnes()
    {
        using var dir = new TempDirectory();
        var config = TestConfig.Load(dir.Path, Pool + "\n" + """
            job_topic_prefix: "eqiad.mediawiki.job."
            dispatcher:
              defaults: { runner: jobrunners, concurrency: 7 }
              patterns:
                cirrus: { topics: '^eqiad\.mediawiki\.job\.cirrus.*', runner: in-process }
            """);

        await using var server = CourierServer.Create(new CourierServerOptions { Data = new CourierDataDirectory(dir.File("data")), Config = config, Demo = false });

        var patterns = server.DispatcherOptions.PatternRules;
        Assert.Equal(["cirrus", "defaults"], patterns.Select(p => p.Name));
        var defaults = patterns[1];
        Assert.Equal(@"^eqiad\.mediawiki\.job\.", defaults.Pattern);
        Assert.True(defaults.Matches("eqiad.mediawiki.job.cdnPurge"));
        Assert.False(defaults.Matches("courier.partitioned.eqiad.mediawiki.job.cdnPurge"));
        Assert.Equal("jobrunners", defaults.Settings.Runner);
        Assert.Equal(7, defaults.Settings.Concurrency);
    }

    [Fact]
    public async Task DefaultsRunningInProcess_RouteNothingNew()
    {
        using var dir = new TempDirectory();
        var config = TestConfig.Load(dir.Path, Pool + "\n" + """
            dispatcher:
              rules:
                cdnPurge: { runner: jobrunners }
            """);

        await using var server = CourierServer.Create(new CourierServerOptions { Data = new CourierDataDirectory(dir.File("data")), Config = config, Demo = false });

        Assert.Empty(server.DispatcherOptions.PatternRules);
        Assert.Equal(["cdnPurge"], server.DispatcherOptions.AllJobTypes());
    }
}

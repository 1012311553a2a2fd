using Courier.Dispatching.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>Checks made before anything runs: pools, the rules naming them, and timeouts against execution limits.</summary>
public sealed class RunnerPoolValidationTests
{
    private static readonly Uri Url = new("http://127.0.0.1:5080");

    private static DispatcherOptions Options(RunnerPoolOptions pool, JobRule rule) =>
        HttpRunnerDispatchTests.Options(pool, rule);

    [Fact]
    public void Validate_RefusesATimeoutNotLongerThanThePoolsExecutionLimit_NamingBoth()
    {
        var pool = HttpRunnerDispatchTests.Pool(Url);
        pool.ExecutionLimit = TimeSpan.FromSeconds(60);
        var options = Options(pool, HttpRunnerDispatchTests.Rule("refreshLinks", timeoutMs: 60_000));

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("rule 'refreshLinks'", error.Message, StringComparison.Ordinal);
        Assert.Contains("timeout 60 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("execution limit 60 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("runner pool 'runners'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatcher_RefusesToStart_WhenARuleNamesAnUnknownPool()
    {
        var options = Options(HttpRunnerDispatchTests.Pool(Url), HttpRunnerDispatchTests.Rule("alpha", runner: "jobrunnerz"));
        using var directory = new Courier.Testing.TempDirectory("validation");
        await using var log = SqliteJobLog.Open(directory.File("log.db"));
        using var telemetry = new CourierTelemetry();
        var courier = new CourierOptions();

        var error = Assert.Throws<ArgumentException>(() => new Dispatcher(log, new InProcessExecutor(new JobHandlerRegistry(courier)),
            options, courier, telemetry, NullLogger<Dispatcher>.Instance, TimeProvider.System));

        Assert.Equal("rule 'alpha': runner pool 'jobrunnerz' does not exist (defined: runners)", error.Message);
    }

    [Fact]
    public void Validate_ChecksPatternRulesAndTheDefaultRule_Too()
    {
        var pattern = Options(HttpRunnerDispatchTests.Pool(Url), HttpRunnerDispatchTests.Rule("alpha"));
        pattern.PatternRules.Add(new TopicPatternRule { Name = "low", Pattern = "^x", Settings = new JobRule { Type = "*", Runner = "runners", Timeout = TimeSpan.FromSeconds(1) } });
        Assert.Contains("pattern rule 'low': timeout 1 s", Assert.Throws<ArgumentException>(pattern.Validate).Message, StringComparison.Ordinal);

        var fallback = Options(HttpRunnerDispatchTests.Pool(Url), HttpRunnerDispatchTests.Rule("alpha"));
        fallback.DefaultRule.Runner = "elsewhere";
        Assert.Contains("the default rule: runner pool 'elsewhere' does not exist", Assert.Throws<ArgumentException>(fallback.Validate).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://host/x", "not an absolute http or https URL")]
    [InlineData("http://user:pw@host/", "must not carry user info")]
    public void Validate_RefusesBadUrls(string url, string expected)
    {
        var options = Options(HttpRunnerDispatchTests.Pool(new Uri(url)), HttpRunnerDispatchTests.Rule("alpha"));

        Assert.Contains(expected, Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RefusesAPoolWithoutUrls_AndTwoPoolsOfOneName()
    {
        var empty = Options(new RunnerPoolOptions { Name = "runners" }, HttpRunnerDispatchTests.Rule("alpha"));
        Assert.Contains("runner pool 'runners': no URLs", Assert.Throws<ArgumentException>(empty.Validate).Message, StringComparison.Ordinal);

        var twice = Options(HttpRunnerDispatchTests.Pool(Url), HttpRunnerDispatchTests.Rule("alpha"));
        twice.RunnerPools.Add(HttpRunnerDispatchTests.Pool(Url));
        Assert.Contains("defined more than once", Assert.Throws<ArgumentException>(twice.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigningKey_ComesFromCourierRunnerKeys_WhenThePoolHasNone()
    {
        var pool = HttpRunnerDispatchTests.Pool(Url);
        pool.SigningKey = null;

        var key = pool.ResolveSigningKey(name => name == "COURIER_RUNNER_KEYS" ? "new=new-secret-0123456789ab,old=old-secret-0123456789ab" : null);

        Assert.Equal("new", key!.Id);
    }

    [Fact]
    public void SigningKey_IsRequiredInCourierMode_WithAnErrorSayingHowToSetIt()
    {
        var pool = HttpRunnerDispatchTests.Pool(Url);
        pool.SigningKey = null;

        var error = Assert.Throws<InvalidOperationException>(() => pool.ResolveSigningKey(_ => null));

        Assert.Contains("runner pool 'runners' has no signing key", error.Message, StringComparison.Ordinal);
        Assert.Contains("runners.runners.signing_key", error.Message, StringComparison.Ordinal);
        Assert.Contains("COURIER_RUNNER_KEYS", error.Message, StringComparison.Ordinal);
        pool.Mode = RunnerMode.MediaWiki;
        Assert.Null(pool.ResolveSigningKey(_ => null)); // RunSingleJob.php checks no signature: unsigned is fine
    }

    [Fact]
    public void Endpoints_AppendThePath_InCourierMode_AndTakeTheUrlAsGiven_InMediaWikiMode()
    {
        var pool = new RunnerPoolOptions { Name = "p", Urls = { new Uri("http://a:1"), new Uri("http://b:2/base/") } };
        Assert.Equal(["http://a:1/rpc/RunSingleJob", "http://b:2/base/rpc/RunSingleJob"], pool.Endpoints().Select(u => u.ToString()));

        var printed = new RunnerPoolOptions { Name = "p", Urls = { new Uri("http://a:1/rpc/RunSingleJob") } };
        Assert.Equal("http://a:1/rpc/RunSingleJob", Assert.Single(printed.Endpoints()).ToString()); // already the endpoint

        pool.Path = "/run";
        Assert.Equal(["http://a:1/run", "http://b:2/base/run"], pool.Endpoints().Select(u => u.ToString()));

        var mediawiki = new RunnerPoolOptions { Name = "mw", Mode = RunnerMode.MediaWiki, Urls = { new Uri("http://jobrunner/rpc/RunSingleJob.php") } };
        Assert.Equal("http://jobrunner/rpc/RunSingleJob.php", Assert.Single(mediawiki.Endpoints()).ToString());
    }

    [Fact]
    public void Connections_AreSizedToTheConcurrencyOfTheRulesUsingThePool()
    {
        var options = Options(HttpRunnerDispatchTests.Pool(Url), HttpRunnerDispatchTests.Rule("alpha", concurrency: 5));
        var partitioned = HttpRunnerDispatchTests.Rule("beta", concurrency: 3);
        partitioned.Partition = new PartitionSpec { Key = "database", Partitions = 4 };
        options.Rules.Add(partitioned);
        options.Rules.Add(HttpRunnerDispatchTests.Rule("local", runner: null, concurrency: 100));

        Assert.Equal(5 + 3 * 4, ExecutorRouter.ConnectionsFor("runners", options));

        options.PatternRules.Add(new TopicPatternRule { Name = "low", Pattern = "^x", Settings = HttpRunnerDispatchTests.Rule("*") });
        Assert.Equal(int.MaxValue, ExecutorRouter.ConnectionsFor("runners", options));
    }
}

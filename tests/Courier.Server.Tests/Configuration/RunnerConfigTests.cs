using System.Text;
using Courier.Server.Configuration;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>The <c>runners</c> section and a rule's <c>runner</c> key.</summary>
public sealed class RunnerConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("courier-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("config.yaml", """
        runners:
          jobrunners:
            urls: [http://10.0.0.1:5080, "http://10.0.0.2:5080/courier"]
            execution_limit: 2m
            max_connections: 40
            retry_after_default: 10s
            connect_timeout: 2s
            signing_key: { id: k2026, secret: "base64:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
          mw:
            mode: mediawiki
            urls: http://jobrunner.discovery.wmnet/rpc/RunSingleJob.php
        dispatcher:
          defaults: { timeout: 3m, runner: jobrunners }
          rules:
            refreshLinks: {}
            htmlCacheUpdate: { runner: mw }
            massMessage: { runner: in-process }
          patterns:
            low: { topics: '^mediawiki\.job\..*', runner: jobrunners }
        """)]
    [InlineData("config.json", """
        {
          "runners": {
            "jobrunners": {
              "urls": ["http://10.0.0.1:5080", "http://10.0.0.2:5080/courier"],
              "execution_limit": "2m", "max_connections": 40, "retry_after_default": "10s", "connect_timeout": "2s",
              "signing_key": { "id": "k2026", "secret": "base64:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" }
            },
            "mw": { "mode": "mediawiki", "urls": "http://jobrunner.discovery.wmnet/rpc/RunSingleJob.php" }
          },
          "dispatcher": {
            "defaults": { "timeout": "3m", "runner": "jobrunners" },
            "rules": { "refreshLinks": {}, "htmlCacheUpdate": { "runner": "mw" }, "massMessage": { "runner": "in-process" } },
            "patterns": { "low": { "topics": "^mediawiki\\.job\\..*", "runner": "jobrunners" } }
          }
        }
        """)]
    public void Load_ReadsRunnerPools_AndRulesNamingThem(string name, string text)
    {
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(Write(name, text)).ApplyTo(new CourierOptions(), dispatcher);

        var pools = dispatcher.RunnerPools.ToDictionary(p => p.Name);
        var jobrunners = pools["jobrunners"];
        Assert.Equal(["http://10.0.0.1:5080/rpc/RunSingleJob", "http://10.0.0.2:5080/courier/rpc/RunSingleJob"],
            jobrunners.Endpoints().Select(u => u.ToString()));
        Assert.Equal(RunnerMode.Courier, jobrunners.Mode);
        Assert.Equal(TimeSpan.FromMinutes(2), jobrunners.ExecutionLimit);
        Assert.Equal(40, jobrunners.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), jobrunners.RetryAfterDefault);
        Assert.Equal(TimeSpan.FromSeconds(2), jobrunners.ConnectTimeout);
        Assert.Equal("k2026", jobrunners.SigningKey!.Id);
        Assert.Equal(Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef"), jobrunners.SigningKey.Secret);

        var mw = pools["mw"];
        Assert.Equal(RunnerMode.MediaWiki, mw.Mode);
        Assert.Equal("http://jobrunner.discovery.wmnet/rpc/RunSingleJob.php", Assert.Single(mw.Endpoints()).ToString());
        Assert.Null(mw.SigningKey);
        Assert.Equal(RunnerPoolOptions.DefaultExecutionLimit, mw.ExecutionLimit);

        Assert.Equal("jobrunners", dispatcher.RuleFor("refreshLinks").Runner); // from defaults
        Assert.Equal("mw", dispatcher.RuleFor("htmlCacheUpdate").Runner);
        Assert.Null(dispatcher.RuleFor("massMessage").Runner); // in-process overrides the default
        Assert.Equal("jobrunners", dispatcher.RuleFor("unlisted").Runner);
        Assert.Equal("jobrunners", Assert.Single(dispatcher.PatternRules).Settings.Runner);
    }

    [Fact]
    public void Load_ReadsTheSecretFromTheEnvironment_WhenItSaysEnv()
    {
        var variable = "COURIER_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "secret-from-the-environment");
        try
        {
            var path = Write("config.yaml", $"runners:\n  p:\n    urls: [http://127.0.0.1:5080]\n    signing_key: {{ id: k1, secret: 'env:{variable}' }}\n");
            var dispatcher = new DispatcherOptions();
            CourierConfigFile.Load(path).ApplyTo(new CourierOptions(), dispatcher);

            Assert.Equal(Encoding.UTF8.GetBytes("secret-from-the-environment"), Assert.Single(dispatcher.RunnerPools).SigningKey!.Secret);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("runners:\n  p: {}\n", "runners.p: needs 'urls'")]
    [InlineData("runners:\n  p: { urls: [] }\n", "runners.p: needs 'urls'")]
    [InlineData("runners:\n  p: { urls: [ftp://host/] }\n", "runners.p.urls[0]: 'ftp://host/' is not an http or https URL")]
    [InlineData("runners:\n  p: { urls: [localhost:5080] }\n", "runners.p.urls[0]: 'localhost:5080' is not an http or https URL")]
    [InlineData("runners:\n  p: { urls: [http://a:1, http://a:1] }\n", "runners.p.urls[1]: 'http://a:1' appears twice")]
    [InlineData("runners:\n  p: { urls: { a: 1 } }\n", "runners.p.urls: must be a list of URLs, got a mapping")]
    [InlineData("runners:\n  p: { urls: [http://a:1], mode: php }\n", "runners.p.mode: unknown mode 'php' (expected courier or mediawiki)")]
    [InlineData("runners:\n  p: { urls: [http://a:1], execution_limit: 0 }\n", "runners.p.execution_limit: must be longer than 0")]
    [InlineData("runners:\n  p: { urls: [http://a:1], max_connections: 0 }\n", "runners.p.max_connections: must be at least 1, got 0")]
    [InlineData("runners:\n  p: { urls: [http://a:1], timeout: 5s }\n", "runners.p: unknown key 'timeout'")]
    [InlineData("runners:\n  p: { urls: [http://a:1], path: 'run job' }\n", "runners.p.path: 'run job' is not a URL path")]
    [InlineData("runners:\n  in-process: { urls: [http://a:1] }\n", "runners: 'in-process' is reserved")]
    [InlineData("runners:\n  p: { urls: [http://a:1], signing_key: { id: k1 } }\n", "runners.p.signing_key: needs 'id' and 'secret'")]
    [InlineData("runners:\n  p: { urls: [http://a:1], signing_key: { id: k1, secret: short } }\n", "runners.p.signing_key.secret: must be at least 16 bytes")]
    [InlineData("runners:\n  p: { urls: [http://a:1], signing_key: { id: 'a b', secret: 0123456789abcdef0 } }\n", "runners.p.signing_key.id: 'a b' must not contain")]
    [InlineData("runners:\n  p: { urls: [http://a:1], signing_key: { id: k1, secret: 'env:COURIER_TEST_UNSET_VARIABLE_42' } }\n",
        "runners.p.signing_key.secret: environment variable 'COURIER_TEST_UNSET_VARIABLE_42' is not set")]
    [InlineData("dispatcher:\n  rules:\n    t: { runner: '' }\n", "dispatcher.rules.t.runner: must not be empty")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { release: r2 } }\n", "runners.p.canary: needs 'urls'")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [ftp://b/] } }\n", "runners.p.canary.urls[0]: 'ftp://b/' is not an http or https URL")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], slice: wiki } }\n", "runners.p.canary.slice: must be job_id or database, got 'wiki'")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], databases: [testwiki] } }\n", "runners.p.canary.databases: needs slice: database")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], steps: [50, 10, 100] } }\n", "runners.p.canary.steps: must be percents increasing")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], steps: [10, 50] } }\n", "runners.p.canary.steps: must be percents increasing")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], gate: { floor: 5 } } }\n", "runners.p.canary.gate.floor: must be a failure rate within 0..1")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], gate: { min_samples: 0 } } }\n", "runners.p.canary.gate.min_samples: must be at least 1")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], judge: { alpha: 1 } } }\n", "runners.p.canary.judge.alpha: must be within (0, 1)")]
    [InlineData("runners:\n  p: { urls: [http://a:1], canary: { urls: [http://b:1], judge: { intervals: 1 } } }\n", "runners.p.canary.judge.intervals: must be at least 2")]
    public void Load_NamesTheBadRunnerSetting(string text, string expected)
    {
        var path = Write("config.yaml", text);

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.StartsWith($"{path}: {expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsAPoolsReleaseAndCanary()
    {
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(Write("config.yaml", """
            runners:
              mw:
                mode: mediawiki
                urls: [http://jobrunner.example/rpc/RunSingleJob.php]
                release: wmf.12
                canary:
                  urls: [http://canary.example/rpc/RunSingleJob.php]
                  release: wmf.13
                  slice: database
                  databases: [testwiki, test2wiki]
                  steps: [5, 25, 100]
                  step_after: 10m
                  gate: { floor: 0.1, factor: 3, min_samples: 20 }
                  judge: { interval: 30s, intervals: 10, alpha: 0.01 }
            """)).ApplyTo(new CourierOptions(), dispatcher);

        var pool = Assert.Single(dispatcher.RunnerPools);
        Assert.Equal("wmf.12", pool.Release);
        var canary = pool.Canary!;
        Assert.Equal([new Uri("http://canary.example/rpc/RunSingleJob.php")], canary.Urls);
        Assert.Equal("wmf.13", canary.Release);
        Assert.Equal(Courier.Canaries.CanarySliceKind.Database, canary.Slice);
        Assert.Equal(["testwiki", "test2wiki"], canary.Databases);
        Assert.Equal([5, 25, 100], canary.Steps);
        Assert.Equal(TimeSpan.FromMinutes(10), canary.StepAfter);
        Assert.Equal((0.1, 3.0, 20), (canary.Gate.Floor, canary.Gate.Factor, canary.Gate.MinSamples));
        Assert.Equal((TimeSpan.FromSeconds(30), 10, 0.01), (canary.Judge.Interval, canary.Judge.Intervals, canary.Judge.Alpha));
    }

    [Fact]
    public void Load_NeverQuotesTheSecret_InAnError()
    {
        var path = Write("config.yaml", "runners:\n  p: { urls: [http://a:1], signing_key: { id: k1, secret: 'base64:c2hvcnQtc2VjcmV0' } }\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.Contains("at least 16 bytes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesARuleNamingAnUnknownPool()
    {
        var path = Write("config.yaml", "runners:\n  jobrunners: { urls: [http://a:1] }\ndispatcher:\n  rules:\n    refreshLinks: { runner: jobrunerz }\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.Equal($"{path}: dispatcher: rule 'refreshLinks': runner pool 'jobrunerz' does not exist (defined: jobrunners)", e.Message);
    }

    [Fact]
    public void Load_RefusesATimeoutNotLongerThanThePoolsExecutionLimit()
    {
        var path = Write("config.yaml", """
            runners:
              jobrunners: { urls: [http://a:1], execution_limit: 2m }
            dispatcher:
              rules:
                refreshLinks: { runner: jobrunners, timeout: 90s }
            """);

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.StartsWith($"{path}: dispatcher: rule 'refreshLinks': timeout 90 s must be longer than the execution limit 120 s of runner pool 'jobrunners'",
            e.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}

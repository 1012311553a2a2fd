using System.Globalization;
using System.Text;
using Courier.Server.Alerting;
using Courier.Server.Configuration;
using Courier.Server.Hosting;
using Xunit;

namespace Courier.Server.Tests.Configuration;

public sealed class CourierConfigFileTests : IDisposable
{
    private const string Yaml = """
        data: /var/lib/courier
        service: cpjobqueue
        job_topic_prefix: eqiad.mediawiki.job.
        max_event_bytes: 1048576
        dispatcher:
          group_id: change-prop-jobs
          commit_interval: 500ms
          shutdown_drain_timeout: 1m
          retry_tiers: [1s, 30, 1.5m]
          defaults:
            concurrency: 30
            timeout: 7m
            retry: { limit: 2, delay: 60, factor: 6 }
            ignore: [permanent]
          rules:
            cirrusSearchLinksUpdate:
              concurrency: 100
              retry:
                limit: 0
            webVideoTranscode:
              concurrency: 50
              timeout: 1d
              ignore: []
            refreshLinks: {}
        metrics:
          listen: "0.0.0.0:9464"
        """;

    private const string Json = """
        {
          // comments and trailing commas are allowed in JSON config
          "data": "/var/lib/courier",
          "service": "cpjobqueue",
          "job_topic_prefix": "eqiad.mediawiki.job.",
          "max_event_bytes": 1048576,
          "dispatcher": {
            "group_id": "change-prop-jobs",
            "commit_interval": "500ms",
            "shutdown_drain_timeout": "1m",
            "retry_tiers": ["1s", 30, "1.5m"],
            "defaults": {
              "concurrency": 30,
              "timeout": "7m",
              "retry": { "limit": 2, "delay": 60, "factor": 6 },
              "ignore": ["permanent"]
            },
            "rules": {
              "cirrusSearchLinksUpdate": { "concurrency": 100, "retry": { "limit": 0 } },
              "webVideoTranscode": { "concurrency": 50, "timeout": "1d", "ignore": [] },
              "refreshLinks": {},
            }
          },
          "metrics": { "listen": "0.0.0.0:9464" }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("courier-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_ReadsYamlAndJson_ToTheSameOptions()
    {
        var fromYaml = Describe(CourierConfigFile.Load(Write("config.yaml", Yaml)));
        var fromJson = Describe(CourierConfigFile.Load(Write("config.json", Json)));

        Assert.Equal(fromYaml, fromJson);
        Assert.Equal("""
            data=/var/lib/courier listen=0.0.0.0:9464
            service=cpjobqueue prefix=eqiad.mediawiki.job. max=1048576
            group=change-prop-jobs commit=00:00:00.5000000 drain=00:01:00 tiers=00:00:01,00:00:30,00:01:30
            * concurrency=30 timeout=00:07:00 retry=2/00:01:00/6 ignore=Permanent
            cirrusSearchLinksUpdate concurrency=100 timeout=00:07:00 retry=0/00:01:00/6 ignore=Permanent
            webVideoTranscode concurrency=50 timeout=1.00:00:00 retry=2/00:01:00/6 ignore=
            refreshLinks concurrency=30 timeout=00:07:00 retry=2/00:01:00/6 ignore=Permanent
            """.ReplaceLineEndings("\n"), fromYaml);
    }

    [Theory]
    [InlineData("config.yaml", "{}\n")]
    [InlineData("config.json", "{}")]
    public void Load_AnEmptyMapping_IsTheDefaults(string name, string text)
    {
        // YAML's `{}` reached the key check as one nameless key and was refused as "unknown key ''".
        var dispatcher = Apply(CourierConfigFile.Load(Write(name, text))).Dispatcher;

        Assert.Equal(new DispatcherOptions().ShutdownDrainTimeout, dispatcher.ShutdownDrainTimeout);
        Assert.Empty(dispatcher.Rules);
    }

    [Theory]
    [InlineData("config.yaml", "dispatcher:\n  defaults:\n    retry:\n      limit: 0\n  rules:\n    a: {}\n    b:\n      retry: { limit: 0, delay: 5s }\n")]
    [InlineData("config.json", """{"dispatcher":{"defaults":{"retry":{"limit":0}},"rules":{"a":{},"b":{"retry":{"limit":0,"delay":"5s"}}}}}""")]
    public void Load_KeepsRetryLimitZero_AsNoRetries(string name, string text)
    {
        // The original's `retry_limit || 2` made a configured 0 into 2 retries.
        var dispatcher = Apply(CourierConfigFile.Load(Write(name, text))).Dispatcher;

        Assert.Equal(0, dispatcher.DefaultRule.Retry.Limit);
        Assert.Equal(0, dispatcher.RuleFor("a").Retry.Limit);
        Assert.Equal(0, dispatcher.RuleFor("b").Retry.Limit);
        Assert.Equal(TimeSpan.FromSeconds(5), dispatcher.RuleFor("b").Retry.Delay);
        Assert.Equal(0, dispatcher.RuleFor("unlisted").Retry.Limit);
    }

    [Fact]
    public void Load_RefusesAnUnknownKey_NamingFileKeyPathAndKey()
    {
        var path = Write("config.yaml", "dispatcher:\n  rules:\n    refreshLinks:\n      concurency: 20\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.Equal($"{path}: dispatcher.rules.refreshLinks: unknown key 'concurency'", e.Message);
        Assert.Equal("dispatcher.rules.refreshLinks", e.KeyPath);
        Assert.Equal(4, e.Line);
    }

    [Theory]
    [InlineData("config.yaml", "colour: blue\n", "unknown key 'colour'")]
    [InlineData("config.json", """{"dispatcher":{"defaults":{"retry":{"limits":1}}}}""", "dispatcher.defaults.retry: unknown key 'limits'")]
    [InlineData("config.yaml", "metrics:\n  port: 9464\n", "metrics: unknown key 'port'")]
    public void Load_RefusesUnknownKeys_AtEveryLevel(string name, string text, string expected)
    {
        var path = Write(name, text);

        Assert.Equal($"{path}: {expected}", Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Theory]
    [InlineData("timeout: 7 minutes", "dispatcher.defaults.timeout: '7 minutes' is not a duration (use a number of seconds, or a number with ms, s, m, h or d: 500ms, 30s, 7m, 2h, 1d)")]
    [InlineData("timeout: -5s", "dispatcher.defaults.timeout: '-5s' is not a duration (use a number of seconds, or a number with ms, s, m, h or d: 500ms, 30s, 7m, 2h, 1d)")]
    [InlineData("timeout: 0s", "dispatcher.defaults.timeout: must be longer than 0")]
    [InlineData("timeout: 7M", "dispatcher.defaults.timeout: '7M' is not a duration (use a number of seconds, or a number with ms, s, m, h or d: 500ms, 30s, 7m, 2h, 1d)")]
    [InlineData("timeout: [7m]", "dispatcher.defaults.timeout: must be a duration (use a number of seconds, or a number with ms, s, m, h or d: 500ms, 30s, 7m, 2h, 1d), got a list")]
    [InlineData("concurrency: 0", "dispatcher.defaults.concurrency: must be at least 1, got 0")]
    [InlineData("concurrency: ten", "dispatcher.defaults.concurrency: must be a whole number, got 'ten'")]
    [InlineData("concurrency: 2.5", "dispatcher.defaults.concurrency: must be a whole number, got '2.5'")]
    [InlineData("retry: { limit: -1 }", "dispatcher.defaults.retry.limit: must be 0 or more (0 means no retries), got -1")]
    [InlineData("retry: { factor: 0.5 }", "dispatcher.defaults.retry.factor: must be at least 1 (delays must not shrink), got 0.5")]
    [InlineData("retry: 3", "dispatcher.defaults.retry: must be a mapping, got '3'")]
    [InlineData("ignore: [decode]", "dispatcher.defaults.ignore[0]: decode failures cannot be ignored; they are always dead-lettered")]
    [InlineData("ignore: [retryable, 412]", "dispatcher.defaults.ignore[1]: unknown failure class '412' (expected retryable, permanent or backpressure)")]
    [InlineData("ignore: permanent", "dispatcher.defaults.ignore: must be a list of failure classes, got 'permanent'")]
    public void Load_NamesTheBadValue(string line, string expected)
    {
        var path = Write("config.yaml", $"dispatcher:\n  defaults:\n    {line}\n");

        Assert.Equal($"{path}: {expected}", Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Theory]
    [InlineData("dispatcher: [1, 2]", "dispatcher: must be a mapping, got a list")]
    [InlineData("max_event_bytes: \"4MiB\"", "max_event_bytes: must be a whole number, got '4MiB'")]
    [InlineData("service: \"\"", "service: must not be empty")]
    [InlineData("metrics: { listen: localhost }", "metrics.listen: 'localhost' must be host:port with a port from 0 to 65535 (e.g. 127.0.0.1:9464, https://0.0.0.0:9443)")]
    [InlineData("dispatcher: { retry_tiers: 5m }", "dispatcher.retry_tiers: must be a list of durations, got '5m'")]
    [InlineData("dispatcher: { retry_tiers: [1s, 0] }", "dispatcher.retry_tiers[1]: must be longer than 0")]
    [InlineData("dispatcher: { rules: { \"refresh links\": {} } }", "dispatcher.rules: 'refresh links' is not a job type (a type has no whitespace or control characters)")]
    public void Load_NamesTheBadValue_OutsideRules(string text, string expected)
    {
        var path = Write("config.yaml", text + "\n");

        Assert.Equal($"{path}: {expected}", Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Theory]
    [InlineData("config.json", """{"dispatcher":{"group_id":"a","group_id":"b"}}""", "dispatcher: duplicate key 'group_id'")]
    [InlineData("config.yaml", "dispatcher:\n  group_id: a\n  group_id: b\n", "dispatcher: duplicate key 'group_id'")]
    public void Load_RefusesDuplicateKeys(string name, string text, string expected)
    {
        var path = Write(name, text);

        Assert.Equal($"{path}: {expected}", Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Fact]
    public void Load_ReportsAMissingFile()
    {
        var path = Path.Combine(_directory, "absent.yaml");

        Assert.Equal($"{path}: file not found", Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Fact]
    public void Load_RefusesAnUnknownExtension()
    {
        var path = Write("config.toml", "x = 1");

        Assert.Equal($"{path}: unknown format: the file name must end in .json, .yaml or .yml",
            Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Theory]
    [InlineData("config.yaml", "dispatcher:\n  defaults: [\n", "not valid YAML at line ")]
    [InlineData("config.json", "{\"dispatcher\": {\n  \"group_id\": }", "not valid JSON at line 2: ")]
    public void Load_ReportsSyntaxErrors_WithTheLine(string name, string text, string expectedStart)
    {
        var path = Write(name, text);

        Assert.StartsWith($"{path}: {expectedStart}", Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("config.yaml", "")]
    [InlineData("config.yaml", "# everything commented out\n")]
    [InlineData("config.yml", "dispatcher:\n")]
    [InlineData("config.json", "{}")]
    public void Load_GivesDefaults_ForAnEmptyConfig(string name, string text)
    {
        var applied = Apply(CourierConfigFile.Load(Write(name, text)));

        Assert.Equal(Describe(new CourierConfig()), Describe(CourierConfigFile.Load(Write(name, text))));
        Assert.Equal(10, applied.Dispatcher.DefaultRule.Concurrency);
        Assert.Empty(applied.Dispatcher.Rules);
    }

    [Fact]
    public void Load_SupportsYamlAnchorsAndMergeKeys()
    {
        var path = Write("config.yaml", """
            dispatcher:
              rules:
                a: &fast
                  concurrency: 50
                  timeout: 30s
                b:
                  <<: *fast
                  timeout: 1m
            """);

        var dispatcher = Apply(CourierConfigFile.Load(path)).Dispatcher;

        Assert.Equal(50, dispatcher.RuleFor("b").Concurrency);
        Assert.Equal(TimeSpan.FromMinutes(1), dispatcher.RuleFor("b").Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), dispatcher.RuleFor("a").Timeout);
    }

    [Fact]
    public void ApplyTo_ReplacesRulesOfTheSameType_AndKeepsOthers()
    {
        var config = CourierConfigFile.Load(Write("config.yaml", "dispatcher:\n  rules:\n    a:\n      concurrency: 3\n"));
        var dispatcher = new DispatcherOptions { Rules = { new JobRule { Type = "a", Concurrency = 99 }, new JobRule { Type = "b" } } };

        config.ApplyTo(new CourierOptions(), dispatcher);

        Assert.Equal(["b", "a"], dispatcher.Rules.Select(r => r.Type));
        Assert.Equal(3, dispatcher.RuleFor("a").Concurrency);
    }

    [Fact]
    public void Telemetry_ReadsTheOtlpEndpointAndProtocol_AndRefusesAnUnknownProtocol()
    {
        var config = CourierConfigFile.Load(Write("otlp.yaml", "telemetry:\n  otlp_endpoint: http://127.0.0.1:4318\n  otlp_protocol: http_protobuf\n"));
        Assert.Equal(new Uri("http://127.0.0.1:4318"), config.Telemetry!.OtlpEndpoint);
        Assert.Equal(TelemetryConfig.HttpProtobuf, config.Telemetry.OtlpProtocol);

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("bad.yaml", "telemetry:\n  otlp_protocol: http/json\n")));
        Assert.Contains("telemetry.otlp_protocol", e.Message, StringComparison.Ordinal);
        Assert.Contains("must be grpc or http_protobuf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTo_Release_ReplacesTheDefaultRelease_AndAbsentKeepsIt()
    {
        var courier = new CourierOptions { Release = "from-environment" };
        CourierConfigFile.Load(Write("none.yaml", "service: courier\n")).ApplyTo(courier, new DispatcherOptions());
        Assert.Equal("from-environment", courier.Release);

        CourierConfigFile.Load(Write("release.yaml", "release: \"2026.12-r3\"\n")).ApplyTo(courier, new DispatcherOptions());

        Assert.Equal("2026.12-r3", courier.Release);
    }

    [Fact]
    public void ExampleConfig_Loads_AndDocumentsTheDefaults()
    {
        var example = Path.Combine(RepositoryRoot.Path, "deploy", "courier.example.yaml");

        var config = CourierConfigFile.Load(example);
        var applied = Apply(config);
        Assert.Equal(new HttpLimits(), config.Http!.ApplyTo(new HttpLimits()));
        Assert.Equal(CourierServerOptions.DefaultAllowedHosts, config.Http.AllowedHosts);
        Assert.Equal((CourierServerOptions.DefaultIntakeMaxBodyBytes, CourierServerOptions.DefaultIntakeMaxEvents),
            (config.Intake!.MaxBodyBytes, config.Intake.MaxEvents));

        // `defaults` in the example must be the real defaults, or the documentation lies.
        var builtIn = new JobRule { Type = "*" };
        var documented = applied.Dispatcher.DefaultRule;
        Assert.Equal(
            (builtIn.Concurrency, builtIn.Timeout, builtIn.Retry.Limit, builtIn.Retry.Delay, builtIn.Retry.Factor),
            (documented.Concurrency, documented.Timeout, documented.Retry.Limit, documented.Retry.Delay, documented.Retry.Factor));
        Assert.Equal((10, TimeSpan.FromMinutes(7), 2, TimeSpan.FromMinutes(1), 6.0),
            (documented.Concurrency, documented.Timeout, documented.Retry.Limit, documented.Retry.Delay, documented.Retry.Factor));
        Assert.Equal(new DispatcherOptions().RetryTiers, applied.Dispatcher.RetryTiers);
        Assert.Equal(new DispatcherOptions().CommitInterval, applied.Dispatcher.CommitInterval);
        Assert.Equal(new DispatcherOptions().ShutdownDrainTimeout, applied.Dispatcher.ShutdownDrainTimeout);
        Assert.Equal(new CourierOptions().MaxEventBytes, applied.Courier.MaxEventBytes);
        Assert.Equal((Courier.Server.Configuration.StateStoreKind.Embedded, new Courier.Sqlite.State.SqliteJobStateStoreOptions().MaxEntries),
            (config.State!.Store, (long)config.State.Embedded!.MaxEntries!.Value));
        Assert.Equal(["massMessage", "htmlCacheUpdate", "refreshLinks"], applied.Dispatcher.Rules.Select(r => r.Type));
        Assert.Equal(0, applied.Dispatcher.RuleFor("massMessage").Retry.Limit);
        Assert.Equal(8, applied.Dispatcher.RuleFor("refreshLinks").Partition!.PartitionCount);
        Assert.True(Assert.Single(applied.Dispatcher.PatternRules).Matches("mediawiki.job.cdnPurge"));
        // The example's pool documents the defaults too.
        var pool = Assert.Single(applied.Dispatcher.RunnerPools);
        var builtInPool = new RunnerPoolOptions { Name = "x" };
        Assert.Equal((builtInPool.Mode, builtInPool.ExecutionLimit, builtInPool.RetryAfterDefault, builtInPool.ConnectTimeout),
            (pool.Mode, pool.ExecutionLimit, pool.RetryAfterDefault, pool.ConnectTimeout));
        Assert.Equal("http://127.0.0.1:5080/rpc/RunSingleJob", Assert.Single(pool.Endpoints()).ToString());
        Assert.Null(builtIn.Runner);
        Assert.Null(documented.Runner);
        // The watcher's thresholds are its defaults (the shipped rules' values).
        var watcher = WatcherSettings.From(config.Alerting, "courier");
        Assert.Equal(new WatcherSettings() with { Instance = watcher.Instance }, watcher);
    }

    [Fact]
    public void Load_ReadsPatternRules_WithTopicsAndPerTypeSettings()
    {
        var path = Write("config.yaml", """
            dispatcher:
              defaults: { timeout: 2m }
              patterns:
                low_traffic_jobs:
                  topics: '^mediawiki\.job\..*'
                  concurrency: 5
                  retry: { limit: 0 }
            """);
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(path).ApplyTo(new CourierOptions(), dispatcher);

        var rule = Assert.Single(dispatcher.PatternRules);
        Assert.Equal("low_traffic_jobs", rule.Name);
        Assert.True(rule.Matches("mediawiki.job.cdnPurge"));
        Assert.Equal(5, rule.Settings.Concurrency);
        Assert.Equal(0, rule.Settings.Retry.Limit);
        Assert.Equal(TimeSpan.FromMinutes(2), rule.Settings.Timeout);
    }

    [Theory]
    [InlineData("dispatcher:\n  patterns:\n    p:\n      concurrency: 5\n", "dispatcher.patterns.p: needs 'topics'")]
    [InlineData("dispatcher:\n  patterns:\n    p:\n      topics: 'mediawiki.*'\n", "pattern must start with '^'")]
    [InlineData("dispatcher:\n  rules:\n    t:\n      topics: '^x'\n", "dispatcher.rules.t: unknown key 'topics'")]
    public void Load_RefusesBadPatternRules(string text, string expected)
    {
        var path = Write("config.yaml", text);
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsAPartitionMap_LikeTheOriginalsRefreshLinksRule()
    {
        var path = Write("config.yaml", """
            dispatcher:
              rules:
                refreshLinks:
                  concurrency: 20
                  partition:
                    key: database
                    default: 2
                    partitions: 8
                    map: { enwiki: 0, commonswiki: 3, dewiki: 4, wikidatawiki: 7 }
            """);
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(path).ApplyTo(new CourierOptions(), dispatcher);

        var spec = dispatcher.RuleFor("refreshLinks").Partition!;
        Assert.Equal("database", spec.Key);
        Assert.Equal(2, spec.Default);
        Assert.Equal(8, spec.PartitionCount);
        Assert.Equal(7, spec.Map["wikidatawiki"]);
    }

    [Theory]
    [InlineData("dispatcher:\n  rules:\n    t:\n      partition: { map: { enwiki: 9 }, partitions: 8 }\n", "partition.map['enwiki'] = 9 is outside the 8 partitions")]
    [InlineData("dispatcher:\n  defaults:\n    partition: { default: 0 }\n", "dispatcher.defaults: 'partition' belongs in a rule of its own type")]
    [InlineData("dispatcher:\n  rules:\n    t:\n      partition: { shards: 8 }\n", "dispatcher.rules.t.partition: unknown key 'shards'")]
    public void Load_RefusesBadPartitionSettings(string text, string expected)
    {
        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(Write("config.yaml", text)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private static (CourierOptions Courier, DispatcherOptions Dispatcher) Apply(CourierConfig config)
    {
        var courier = new CourierOptions();
        var dispatcher = new DispatcherOptions();
        config.ApplyTo(courier, dispatcher);
        return (courier, dispatcher);
    }

    /// <summary>Everything a config sets, as text, so two configs compare in one assertion.</summary>
    private static string Describe(CourierConfig config)
    {
        var (courier, dispatcher) = Apply(config);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"data={config.Data} listen={config.Metrics?.Listen}\n");
        text.Append(CultureInfo.InvariantCulture, $"service={courier.Topics.ServiceName} prefix={courier.Topics.JobTopicPrefix} max={courier.MaxEventBytes}\n");
        text.Append(CultureInfo.InvariantCulture, $"group={dispatcher.GroupId} commit={dispatcher.CommitInterval} drain={dispatcher.ShutdownDrainTimeout} tiers={string.Join(",", dispatcher.RetryTiers)}\n");
        foreach (var rule in dispatcher.Rules.Prepend(dispatcher.DefaultRule))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{rule.Type} concurrency={rule.Concurrency} timeout={rule.Timeout} retry={rule.Retry.Limit}/{rule.Retry.Delay}/{rule.Retry.Factor} ignore={string.Join(",", rule.Ignore)}\n");
        }
        return text.ToString().TrimEnd('\n');
    }
}

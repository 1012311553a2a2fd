using System.Text;
using System.Text.Json.Nodes;
using Courier.Cli;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Server.Tests.Contracts;

public sealed class ContractCommandTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Corpus => Path.Combine(_dir.Path, "corpus");

    [Fact]
    public async Task Record_ThenVerify_Passes_InAChildProcess()
    {
        using (var record = CliProcess.Start("contract", "record", "--corpus", Corpus, "--count", "2"))
        {
            Assert.Equal(ExitCodes.Ok, await record.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        foreach (var type in DemoJobTypes.All)
        {
            Assert.Equal(2, Directory.GetFiles(Path.Combine(Corpus, type, "1.0.0"), "*.json").Length);
        }
        using var verify = CliProcess.Start("contract", "verify", "--corpus", Corpus);
        Assert.Equal(ExitCodes.Ok, await verify.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("All 6 events of 3 types", verify.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_KeepsExistingFiles_AndTheCapPerVersion()
    {
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("contract", "record", "--corpus", Corpus, "--type", "massMessage", "--count", "1")).ExitCode);
        var first = Directory.GetFiles(Path.Combine(Corpus, "massMessage", "1.0.0")).Single();

        var again = await CliRun.RunAsync("contract", "record", "--corpus", Corpus, "--type", "massMessage", "--count", "1");

        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.Equal([first], Directory.GetFiles(Path.Combine(Corpus, "massMessage", "1.0.0")));
        Assert.False(Directory.Exists(Path.Combine(Corpus, "refreshLinks")));
    }

    [Fact]
    public async Task Record_FromFile_StoresTheExactBytes_OfArraysAndLines()
    {
        var v1 = MassMessage("a-1", "1.0.0");
        var unversioned = MassMessage("a-2", null);
        var array = Path.Combine(_dir.Path, "events.json");
        await File.WriteAllTextAsync(array, $"[\n  {v1},\n  {unversioned}\n]\n", Ct);
        var lines = Path.Combine(_dir.Path, "events.jsonl");
        await File.WriteAllTextAsync(lines, MassMessage("a-3", "1.0.0") + "\n\n", Ct);

        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("contract", "record", "--corpus", Corpus, "--from-file", array)).ExitCode);
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("contract", "record", "--corpus", Corpus, "--from-file", lines)).ExitCode);

        Assert.Equal(v1, await File.ReadAllTextAsync(Path.Combine(Corpus, "massMessage", "1.0.0", "a-1.json"), Ct));
        Assert.Equal(unversioned, await File.ReadAllTextAsync(Path.Combine(Corpus, "massMessage", "unversioned", "a-2.json"), Ct));
        Assert.True(File.Exists(Path.Combine(Corpus, "massMessage", "1.0.0", "a-3.json")));
    }

    [Fact]
    public async Task Record_FromFile_RefusesAnEventThatDoesNotDecode()
    {
        var file = Path.Combine(_dir.Path, "events.jsonl");
        await File.WriteAllTextAsync(file, MassMessage("a-1", "1.0.0") + "\n{\"type\":\"massMessage\"}\n", Ct);

        var result = await CliRun.RunAsync("contract", "record", "--corpus", Corpus, "--from-file", file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("event 1: $.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FailsNamingEachEvent_ThatNoLongerDecodes()
    {
        Write("massMessage", "1.0.0", "good", MassMessage("good", "1.0.0"));
        // The 2019 change: a version-2 writer against readers that know version 1 only.
        Write("massMessage", "2.0.0", "v2", MassMessage("v2", "2.0.0"));
        // Version 1 named, but the title moved to top-level fields: the closed schema refuses it.
        Write("massMessage", "1.0.0", "moved", Event("moved", "massMessage", "1.0.0",
            """{"page_title":"Example_user","recipient":"Example user","subject":"s","message":"m","sender":"MediaWiki message delivery"}"""));
        Write("refreshLinks", "1.0.0", "truncated", """{"$schema":"/mediawiki/job/1.0.0","meta":""");

        var result = await CliRun.RunAsync("contract", "verify", "--corpus", Corpus);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("3 of 4 events", result.Out, StringComparison.Ordinal);
        var lines = result.Out.Split('\n');
        Assert.Contains(lines, l => l.Contains("massMessage", StringComparison.Ordinal) && l.Contains("2.0.0", StringComparison.Ordinal)
            && l.Contains(Path.Combine("massMessage", "2.0.0", "v2.json"), StringComparison.Ordinal) && l.Contains("unknown_version", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(Path.Combine("1.0.0", "moved.json"), StringComparison.Ordinal)
            && l.Contains("schema_mismatch", StringComparison.Ordinal) && l.Contains("params.page_title", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("truncated.json", StringComparison.Ordinal) && l.Contains("malformed", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("good.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_ReportsABindingFailure_WhenNoSchemaCatchesIt()
    {
        // No schemas for the type and none required: only the handler's params type stands between the job and a run.
        Directory.CreateDirectory(Path.Combine(_dir.Path, "schemas"));
        var config = Path.Combine(_dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(config, $"params_schemas:\n  directory: {Path.Combine(_dir.Path, "schemas")}\n", Ct);
        Write("refreshLinks", "unversioned", "bad-title", Event("bad-title", "refreshLinks", null, """{"title":"Main_Page","revisionId":1}"""));

        var result = await CliRun.RunAsync("--config", config, "contract", "verify", "--corpus", Corpus);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("binding", result.Out, StringComparison.Ordinal);
        Assert.Contains("RefreshLinksParams", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_PassesOnTheRepositoryCorpus()
    {
        var result = await CliRun.RunAsync("contract", "verify", "--corpus", Path.Combine(RepositoryRoot.Path, "jobs", "corpus"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("of 3 types", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contract", "verify", "--corpus", "/nonexistent/corpus")]
    [InlineData("contract", "verify", "--sample", "3")]
    [InlineData("contract", "verify", "--from", "log", "--since", "yesterday")]
    [InlineData("contract", "record", "--count", "0")]
    public async Task BadInput_ExitsWithUsage(params string[] args)
    {
        var result = await CliRun.RunAsync([.. args, "--data", _dir.Path], Ct);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task VerifyFrom_CountsPerType_AndExitsOne_WhenRecordsFail()
    {
        await using (var log = SqliteJobLog.Open(Path.Combine(_dir.Path, "log.db")))
        {
            await AppendAsync(log, "massMessage", MassMessage("m-1", "1.0.0"), MassMessage("m-2", "1.0.0"), MassMessage("m-3", "2.0.0"));
            await AppendAsync(log, "refreshLinks", Event("r-1", "refreshLinks", "1.0.0", """{"title":{"namespace":0,"dbkey":"A"},"revisionId":1}"""), "not json");
        }

        var result = await CliRun.RunAsync("--data", _dir.Path, "contract", "verify", "--from", "log", "--since", "1h");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Matches(@"massMessage\s+3\s+2\s+1\s+unknown_version 1", result.Out);
        Assert.Matches(@"refreshLinks\s+2\s+1\s+1\s+malformed 1", result.Out);
        Assert.Contains("2 of 5 records", result.Out, StringComparison.Ordinal);
        Assert.Contains("mediawiki.job.massMessage:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFrom_Sample_CapsRecordsPerType()
    {
        await using (var log = SqliteJobLog.Open(Path.Combine(_dir.Path, "log.db")))
        {
            await AppendAsync(log, "massMessage", MassMessage("m-1", "1.0.0"), MassMessage("m-2", "1.0.0"), MassMessage("m-3", "1.0.0"));
        }

        var result = await CliRun.RunAsync("--data", _dir.Path, "contract", "verify", "--from", "log", "--sample", "2");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Matches(@"massMessage\s+2\s+2\s+0", result.Out);
    }

    [Fact]
    public async Task VerifyFrom_Since_SkipsOlderRecords()
    {
        // The old, bad records carry a timestamp two days back; the window covers only the new one.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(2));
        await using (var old = SqliteJobLog.Open(Path.Combine(_dir.Path, "log.db"), new SqliteJobLogOptions { TimeProvider = clock }))
        {
            await AppendAsync(old, "massMessage", MassMessage("old-1", "2.0.0"), "not json");
        }
        await using (var log = SqliteJobLog.Open(Path.Combine(_dir.Path, "log.db")))
        {
            await AppendAsync(log, "massMessage", MassMessage("new-1", "1.0.0"));
        }

        var recent = await CliRun.RunAsync("--data", _dir.Path, "contract", "verify", "--from", "log", "--since", "1d");
        var all = await CliRun.RunAsync("--data", _dir.Path, "contract", "verify", "--from", "log", "--since", "3d");

        Assert.Equal(ExitCodes.Ok, recent.ExitCode);
        Assert.Matches(@"massMessage\s+1\s+1\s+0", recent.Out);
        Assert.Equal(ExitCodes.Failure, all.ExitCode);
        Assert.Matches(@"massMessage\s+3\s+1\s+2", all.Out);
    }

    [Fact]
    public async Task VerifyFrom_AConfigFile_ReadsItsEngine()
    {
        var data = Path.Combine(_dir.Path, "elsewhere");
        Directory.CreateDirectory(data);
        await using (var log = SqliteJobLog.Open(Path.Combine(data, "log.db")))
        {
            await AppendAsync(log, "massMessage", MassMessage("m-1", "2.0.0"));
        }
        var config = Path.Combine(_dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(config, $"data: {data}\n", Ct);

        var result = await CliRun.RunAsync("--data", _dir.Path, "contract", "verify", "--from", config);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Matches(@"massMessage\s+1\s+0\s+1\s+unknown_version 1", result.Out);
    }

    private void Write(string type, string version, string name, string json)
    {
        var folder = Path.Combine(Corpus, type, version);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".json"), json);
    }

    private static async Task AppendAsync(SqliteJobLog log, string type, params string[] events)
    {
        var topic = new TopicNames().JobTopic(type);
        await log.EnsureTopicAsync(topic, 2, Ct);
        using var producer = log.CreateProducer();
        await producer.ProduceAsync(events.Select(json => new OutgoingRecord(topic, null, Encoding.UTF8.GetBytes(json))).ToList(), Ct);
    }

    private static string MassMessage(string id, string? version) => Event(id, "massMessage", version,
        """{"title":{"namespace":3,"dbkey":"Example_user"},"recipient":"Example user","subject":"s","message":"m","sender":"MediaWiki message delivery"}""");

    private static string Event(string id, string type, string? version, string parameters)
    {
        var meta = new JsonObject { ["id"] = id, ["dt"] = "2026-11-28T00:00:00+00:00", ["stream"] = "mediawiki.job." + type, ["domain"] = "enwiki" };
        if (version is not null)
        {
            meta["params_version"] = version;
        }
        var root = new JsonObject
        {
            ["$schema"] = "/mediawiki/job/1.0.0",
            ["meta"] = meta,
            ["database"] = "enwiki",
            ["type"] = type,
            ["params"] = JsonNode.Parse(parameters),
        };
        return root.ToJsonString();
    }
}

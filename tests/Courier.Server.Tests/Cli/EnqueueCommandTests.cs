using System.Globalization;
using System.Text;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class EnqueueCommandTests
{
    [Fact]
    public async Task Enqueue_AppendsOneJob_AndPrintsItsIdAndPosition()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync("enqueue", "--type", "refreshLinks", "--database", "enwiki",
            "--params", """{"title":{"namespace":0,"dbkey":"Main_Page"}}""", "--json", "--data", dir.Path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("mediawiki.job.refreshLinks", doc.RootElement.GetProperty("topic").GetString());
        await using var log = SqliteJobLog.Open(dir.File("log.db"));
        var record = Assert.Single(await TopicReader.ReadAllAsync(log, "mediawiki.job.refreshLinks"));
        Assert.Equal("enwiki", record.Key);
        Assert.Equal(doc.RootElement.GetProperty("offset").GetInt64(), record.Offset);
        using var @event = JsonDocument.Parse(record.Value);
        Assert.Equal(doc.RootElement.GetProperty("id").GetString(), @event.RootElement.GetProperty("meta").GetProperty("id").GetString());
        Assert.Equal("Main_Page", @event.RootElement.GetProperty("params").GetProperty("title").GetProperty("dbkey").GetString());
    }

    [Fact]
    public async Task Enqueue_WritesTheDemoTypesNewestParamsVersion()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync("enqueue", "--type", "refreshLinks", "--params", """{"title":{"namespace":0,"dbkey":"Main_Page"}}""", "--data", dir.Path);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        await using var log = SqliteJobLog.Open(dir.File("log.db"));
        using var @event = JsonDocument.Parse(Assert.Single(await TopicReader.ReadAllAsync(log, "mediawiki.job.refreshLinks")).Value);
        Assert.Equal("1.0.0", @event.RootElement.GetProperty("meta").GetProperty("params_version").GetString());
    }

    [Fact]
    public async Task Enqueue_RefusesParamsThatBreakTheDemoSchema_NamingFieldAndRule_BeforeTouchingTheData()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");

        var result = await CliRun.RunAsync("enqueue", "--type", "massMessage", "--params", """{"title":"User_talk:Example","recipient":"E","subject":"s","message":"m","sender":"x"}""",
            "--data", data);
        var badEvent = await CliRun.RunAsync("enqueue", "--event",
            """{"meta":{"id":"7d2b5a4e-4f7e-4a8e-9a53-0c9b8d0e6f01","dt":"2019-04-17T19:14:00Z","params_version":"2.0.0"},"database":"metawiki","type":"massMessage","params":{}}""",
            "--data", data);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--params: massMessage params do not match params schema 1.0.0: params.title: type:", result.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badEvent.ExitCode);
        Assert.Contains("--event breaks its params contract: job type 'massMessage' has no params schema version 2.0.0", badEvent.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Enqueue_ReadsParamsFromAFile_AndHonoursDelayUntil()
    {
        using var dir = new TempDirectory();
        var file = dir.File("params.json");
        await File.WriteAllTextAsync(file, """{"title":{"namespace":0,"dbkey":"Main Page with spaces"}}""", TestContext.Current.CancellationToken);

        // Within the furthest delay a job may ask for (JobDelayLimit); beyond it the CLI refuses, as tested with the client.
        var due = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var result = await CliRun.RunAsync("enqueue", "--type", "refreshLinks", "--params", "@" + file,
            "--delay-until", due, "--data", dir.Path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        await using var log = SqliteJobLog.Open(dir.File("log.db"));
        using var @event = JsonDocument.Parse(Assert.Single(await TopicReader.ReadAllAsync(log, "mediawiki.job.refreshLinks")).Value);
        Assert.Equal("Main Page with spaces", @event.RootElement.GetProperty("params").GetProperty("title").GetProperty("dbkey").GetString());
        Assert.StartsWith(due[..^1], @event.RootElement.GetProperty("delay_until").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueRaw_AppendsTheBytesAsTheyAre()
    {
        using var dir = new TempDirectory();
        byte[] garbage = [0x00, 0xff, (byte)'{', 0x10];

        var result = await CliRun.RunAsync(["enqueue", "--raw", "-", "--type", "massMessage", "--data", dir.Path],
            TestContext.Current.CancellationToken, new MemoryStream(garbage));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("raw, unchecked", result.Out, StringComparison.Ordinal);
        await using var log = SqliteJobLog.Open(dir.File("log.db"));
        Assert.Equal(garbage, Assert.Single(await TopicReader.ReadAllAsync(log, "mediawiki.job.massMessage")).Value.ToArray());
    }

    [Fact]
    public async Task EnqueueEvent_ChecksTheEvent_AndAppendsItUnchanged()
    {
        using var dir = new TempDirectory();
        var file = dir.File("event.json");
        await File.WriteAllTextAsync(file, DeadLetterSeed.MassMessageEvent, TestContext.Current.CancellationToken);

        var good = await CliRun.RunAsync("enqueue", "--event", "@" + file, "--data", dir.Path);
        var bad = await CliRun.RunAsync("enqueue", "--event", """{"type":"massMessage"}""", "--data", dir.Path);

        Assert.True(good.ExitCode == ExitCodes.Ok, good.Error);
        Assert.Contains("mm-1", good.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("not a valid job event", bad.Error, StringComparison.Ordinal);
        await using var log = SqliteJobLog.Open(dir.File("log.db"));
        var record = Assert.Single(await TopicReader.ReadAllAsync(log, "mediawiki.job.massMessage"));
        Assert.Equal(DeadLetterSeed.MassMessageEvent, Encoding.UTF8.GetString(record.Value.Span));
        Assert.Equal("metawiki", record.Key);
    }
}

using System.Text.Json;
using Courier.Cli;
using Courier.Server.Admin;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class DlqCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private IReadOnlyList<TopicPartitionOffset> _seeded = [];

    public async ValueTask InitializeAsync()
    {
        await using var log = SqliteJobLog.Open(_dir.File("log.db"));
        _seeded = await DeadLetterSeed.SeedAsync(log, new TopicNames());
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task List_PrintsMatchingDeadLetters_AsJson()
    {
        var result = await CliRun.RunAsync("dlq", "list", "--type", "massMessage", "--json", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(2, json.RootElement.GetProperty("matching").GetInt32());
        var classes = json.RootElement.GetProperty("dead_letters").EnumerateArray().Select(d => d.GetProperty("class").GetString()).Order();
        Assert.Equal(["permanent", "retryable"], classes);
    }

    [Fact]
    public async Task List_ShowsTheMostRecent_UpToTheLimit()
    {
        var result = await CliRun.RunAsync("dlq", "list", "--limit", "1", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("1 most recent of 3", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public async Task Show_PrintsHeadersAndThePrettyPrintedEvent()
    {
        var position = LogPosition.Format(_seeded[0]);

        var text = await CliRun.RunAsync("dlq", "show", position, "--data", _dir.Path);
        var json = await CliRun.RunAsync("dlq", "show", position, "--json", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, text.ExitCode);
        Assert.Contains("courier.failure.class = permanent", text.Out, StringComparison.Ordinal);
        Assert.Contains("\"dbkey\": \"Elitre\"", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal("recipient has opted out", doc.RootElement.GetProperty("message").GetString());
        Assert.Equal("metawiki", doc.RootElement.GetProperty("event").GetProperty("database").GetString());
        Assert.Equal("permanent", doc.RootElement.GetProperty("headers").GetProperty(CourierHeaders.FailureClass).GetString());
    }

    [Fact]
    public async Task Show_FindsByJobId_AndShowsBytesThatAreNotJson()
    {
        var byId = await CliRun.RunAsync("dlq", "show", "mm-2", "--data", _dir.Path);
        var notJson = await CliRun.RunAsync("dlq", "show", LogPosition.Format(_seeded[2]), "--json", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, byId.ExitCode);
        Assert.Contains(LogPosition.Format(_seeded[1]), byId.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(notJson.Out);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("event").ValueKind);
        Assert.Equal(Convert.ToBase64String([0x7b, 0xff, 0x00, 0x01]), doc.RootElement.GetProperty("event_base64").GetString());
    }

    [Fact]
    public async Task Show_Fails_WhenThereIsNoSuchDeadLetter()
    {
        var result = await CliRun.RunAsync("dlq", "show", "courier.error:0:999", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("no dead letter courier.error:0:999", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_CountsByTypeAndClass_DryRunFirst_ThenOnce()
    {
        var dryRun = await CliRun.RunAsync("dlq", "replay", "--dry-run", "--json", "--data", _dir.Path);
        var replay = await CliRun.RunAsync("dlq", "replay", "--json", "--data", _dir.Path);
        var again = await CliRun.RunAsync("dlq", "replay", "--json", "--data", _dir.Path);

        using var dry = JsonDocument.Parse(dryRun.Out);
        using var done = JsonDocument.Parse(replay.Out);
        using var repeat = JsonDocument.Parse(again.Out);
        Assert.True(dry.RootElement.GetProperty("dry_run").GetBoolean());
        Assert.Equal(3, dry.RootElement.GetProperty("replayed").GetInt32());
        Assert.Equal(3, done.RootElement.GetProperty("replayed").GetInt32());
        Assert.Equal(1, done.RootElement.GetProperty("by_type").GetProperty("massMessage").GetProperty("permanent").GetInt32());
        Assert.Equal(1, done.RootElement.GetProperty("by_type").GetProperty("refreshLinks").GetProperty("decode").GetInt32());
        Assert.Equal(0, repeat.RootElement.GetProperty("replayed").GetInt32());
        Assert.Equal(3, repeat.RootElement.GetProperty("already_replayed").GetInt32());

        await using var log = SqliteJobLog.Open(_dir.File("log.db"));
        Assert.Equal(2, (await TopicReader.ReadAllAsync(log, "mediawiki.job.massMessage")).Count);
    }
}

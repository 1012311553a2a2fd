using System.Text.Json;
using Courier.Cli;
using Courier.Server.Admin;
using Courier.Server.Tests.Control;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// <c>courier dlq list|show|replay --server URL</c>: the same output as reading the log, from a running dispatcher's
/// admin API. The dispatcher does not consume massMessage here, so replayed copies stay put.
/// </summary>
public sealed class DlqServerCommandTests() : ServedControlTests("dispatcher:\n  rules:\n    htmlCacheUpdate: {}\n")
{
    private IReadOnlyList<TopicPartitionOffset> _seeded = [];

    private string Url => Host.Server.BaseUrl!.ToString();

    private string DataDir => Host.Server.Data.Root;

    [Fact]
    public async Task ListAndShow_PrintWhatTheLocalCommandsPrint()
    {
        await SeedAsync();
        var position = LogPosition.Format(_seeded[0]);

        foreach (var args in (string[][])
        [
            ["dlq", "list"],
            ["dlq", "list", "--json"],
            ["dlq", "list", "--limit", "1"],
            ["dlq", "list", "--type", "massMessage", "--class", "retryable", "--json"],
            ["dlq", "list", "--limit", "0"],
            ["dlq", "show", position],
            ["dlq", "show", "mm-2"],
            ["dlq", "show", LogPosition.Format(_seeded[2])],
            ["dlq", "replay", "--dry-run"],
            ["dlq", "replay", "--dry-run", "--json", "--type", "massMessage"],
        ])
        {
            var local = await CliRun.RunAsync([.. args, "--data", DataDir], Ct);
            var remote = await CliRun.RunAsync([.. args, "--server", Url], Ct);

            Assert.True(local.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args)}: {local.Error}");
            Assert.True(remote.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args)} --server: {remote.Error}");
            Assert.Equal(local.Out, args.Contains("replay") && args.Contains("--json") ? WithoutBound(remote.Out) : remote.Out);
        }
    }

    [Fact]
    public async Task Replay_ThroughTheServer_ReplaysOnce_AndBadArgumentsAreUsage()
    {
        await SeedAsync();

        var replay = await CliRun.RunAsync(["dlq", "replay", "--type", "massMessage", "--json", "--server", Url], Ct);
        var again = await CliRun.RunAsync(["dlq", "replay", "--type", "massMessage", "--json", "--server", Url], Ct);
        var missing = await CliRun.RunAsync(["dlq", "show", "courier.error:0:999", "--server", Url], Ct);

        Assert.Equal(ExitCodes.Ok, replay.ExitCode);
        using (var json = JsonDocument.Parse(replay.Out))
        {
            Assert.False(json.RootElement.GetProperty("dry_run").GetBoolean());
            Assert.Equal(2, json.RootElement.GetProperty("replayed").GetInt32());
        }
        using (var json = JsonDocument.Parse(again.Out))
        {
            Assert.Equal(0, json.RootElement.GetProperty("replayed").GetInt32());
            Assert.Equal(2, json.RootElement.GetProperty("already_replayed").GetInt32());
        }
        Assert.Equal(2, (await TopicReader.ReadAllAsync(Host.Server.Log, Host.Server.CourierOptions.Topics.JobTopic("massMessage"))).Count);
        Assert.Equal(ExitCodes.Failure, missing.ExitCode);
        Assert.Contains("no dead letter at courier.error:0:999", missing.Error, StringComparison.Ordinal);
    }

    // A replay through the server also says how many one request replays at most; the rest is the same.
    private static string WithoutBound(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.Equal(10_000, node["max_per_request"]!.GetValue<int>());
        node.Remove("max_per_request");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private async Task SeedAsync()
    {
        _seeded = await DeadLetterSeed.SeedAsync(Host.Server.Log, Host.Server.CourierOptions.Topics);
        var browser = (IDeadLetterBrowser)Host.Server.Services.GetService(typeof(IDeadLetterBrowser))!;
        await Eventually.TrueAsync(async () => (await browser.QueryAsync(new DeadLetterQuery(), Ct)).Matching == 3, "the index has the 3 dead letters");
    }
}

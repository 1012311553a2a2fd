using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Courier.Cli;
using Courier.Server.Tests.Kafka;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Serve;

/// <summary>
/// <c>courier serve</c> as the product: a configuration alone routes job types Courier has never heard of — in topics
/// that exist before it starts and in topics created while it runs — to a runner pool in <c>mode: mediawiki</c>.
/// Events produced by kcat in both original forms reach the RunSingleJob.php stand-in byte for byte, once each; delayed
/// ones not before their <c>delay_until</c>; a read-only answer is retried without spending an attempt.
/// </summary>
public sealed class ServeMediaWikiTests
{
    private const string GroupId = "serve-mediawiki"; // the group_id of both routings

    /// <summary>The configuration's routing: the default rule names the pool, or a pattern rule over every job topic does.</summary>
    public static TheoryData<string, string> Routings => new()
    {
        { "defaults", """
            dispatcher:
              group_id: serve-mediawiki
              defaults: { runner: mediawiki, retry: { limit: 0 } }
            """ },
        { "pattern", """
            dispatcher:
              group_id: serve-mediawiki
              defaults: { retry: { limit: 0 } }
              patterns:
                all: { topics: '^mediawiki\.job\..*', runner: mediawiki }
            """ },
    };

    [Theory]
    [MemberData(nameof(Routings))]
    public async Task Serve_RoutesUnknownTypesToAMediaWikiPool_ByConfigurationAlone(string routing, string dispatcher)
    {
        var kcat = Kcat.Require();
        using var cluster = DevClusters.Start();
        await using var log = DevClusters.OpenLog(cluster);
        await using var runSingleJob = await RunSingleJobStandIn.StartAsync();
        using var dir = new TempDirectory();
        var port = ServeSetup.FreePort();
        var config = await ServeSetup.WriteKafkaConfigAsync(dir, cluster, port, dispatcher + $$"""

            runners:
              mediawiki:
                mode: mediawiki
                urls: [ "{{runSingleJob.Url}}" ]
            """);

        var now = DateTimeOffset.UtcNow;
        // Whole seconds, as MediaWiki wrote them, far enough ahead that the job is read before it is due.
        var due = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 4);
        var dueSeconds = due.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var early = Event2019("cirrusSearchLinksUpdate", "enwiki", "5f4b6a3e-60f4-11e9-a923-1681be663d3e", delayUntil: null);
        List<ProducedEvent> later =
        [
            new(Event2020("cdnPurge", "dewiki", "0196a3b2-7c1e-7d4a-9f2b-000000000001", delayUntil: null), null),
            new(Event2019("recentChangesUpdate", "plwiki", "5f4b6a3e-60f4-11e9-a923-000000000002", delayUntil: $"\"{dueSeconds}\""), due),
            new(Event2020("wikibase-addUsagesForPage", "jawiki", "0196a3b2-7c1e-7d4a-9f2b-000000000003", delayUntil: dueSeconds), due),
            new(Event2020(RunSingleJobStandIn.ReadOnlyType, "enwiki", "0196a3b2-7c1e-7d4a-9f2b-000000000004", delayUntil: null), null),
            new(Event2019("cirrusSearchLinksUpdate", "dewiki", "5f4b6a3e-60f4-11e9-a923-000000000005", delayUntil: null), null),
        ];

        // One job topic exists before serve starts; the others are created by producing into them while it runs.
        await ProduceAsync(kcat, cluster.BootstrapServers, early);
        using var serve = CliProcess.Start("serve", "--config", config, "--progress-interval", "0");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Eventually.TrueAsync(async () => serve.HasExited || await ServeSetup.IsReadyAsync(http), "courier serve is ready", state: () => ValueTask.FromResult(serve.Tail()));
        Assert.False(serve.HasExited, $"courier serve exited ({routing}):\n{serve.Tail()}");
        foreach (var produced in later)
        {
            await ProduceAsync(kcat, cluster.BootstrapServers, produced.Line);
        }
        List<ProducedEvent> all = [new(early, null), .. later];

        await Eventually.TrueAsync(() => all.All(e => Delivered(runSingleJob, e.Line).Any()), $"every event reached RunSingleJob.php ({routing})",
            TimeSpan.FromSeconds(90), () => $"{runSingleJob.Requests.Count} requests so far; serve:\n{serve.Tail()}");
        foreach (var topic in all.Select(e => Topic(e.Line)).Distinct())
        {
            await Eventually.TrueAsync(async () => await DevClusters.GroupCaughtUpAsync(log, GroupId, topic), $"{GroupId} committed all of {topic}");
        }
        await serve.TerminateAsync();
        Assert.Equal(ExitCodes.Ok, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var requests = runSingleJob.Requests.ToList();
        foreach (var produced in all)
        {
            // Byte for byte as kcat produced it, answered 200 exactly once, and on the first attempt.
            var delivered = Assert.Single(Delivered(runSingleJob, produced.Line));
            Assert.Equal("1", delivered.Attempt);
            if (produced.DelayUntil is { } delayUntil)
            {
                Assert.True(delivered.ArrivedAt >= delayUntil, $"{Topic(produced.Line)} ran at {delivered.ArrivedAt:O}, before its delay_until {delayUntil:O}");
            }
        }
        // The read-only answer was taken as backpressure: asked again, still attempt 1, though retry.limit is 0.
        var readOnly = Assert.Single(requests, r => r.AnsweredReadOnly);
        Assert.Equal("1", readOnly.Attempt);
        Assert.Equal(all.Count + 1, requests.Count);
        var stats = await CliRun.RunAsync("stats", "--config", config, "--json");
        Assert.True(stats.ExitCode == ExitCodes.Ok, stats.Error);
        using var statsDoc = System.Text.Json.JsonDocument.Parse(stats.Out);
        Assert.Equal(0, statsDoc.RootElement.GetProperty("dead_letters").GetProperty("total").GetInt64());
    }

    private static IEnumerable<RunSingleJobStandIn.Request> Delivered(RunSingleJobStandIn standIn, string line) =>
        standIn.Requests.Where(r => !r.AnsweredReadOnly && Encoding.UTF8.GetString(r.Body) == line);

    /// <summary>The April 2019 form (schema mediawiki/job 3): <c>meta.topic</c>, title at top level, no <c>$schema</c>.</summary>
    private static string Event2019(string type, string database, string id, string? delayUntil) =>
        "{\"meta\":{\"uri\":\"https://" + database + ".example/wiki/Main_Page\",\"topic\":\"mediawiki.job." + type + "\",\"schema_uri\":\"mediawiki/job/3\","
        + "\"request_id\":\"XLb8mApAADsAAFX-vPIAAAAB\",\"id\":\"" + id + "\",\"dt\":\"2019-04-17T10:01:02+00:00\",\"domain\":\"" + database + ".example\"},"
        + "\"database\":\"" + database + "\",\"type\":\"" + type + "\",\"page_namespace\":0,\"page_title\":\"Main_Page\","
        + (delayUntil is null ? "" : "\"delay_until\":" + delayUntil + ",")
        + "\"params\":{\"prioritize\":false,\"causeAction\":\"edit-page\",\"requestId\":\"XLb8mApAADsAAFX-vPIAAAAB\"},"
        + "\"mediawiki_signature\":\"3b1f4e5d6c7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c\"}";

    /// <summary>The 2020 form: <c>$schema</c> and <c>meta.stream</c>, no title fields.</summary>
    private static string Event2020(string type, string database, string id, string? delayUntil) =>
        "{\"$schema\":\"/mediawiki/job/1.0.0\",\"meta\":{\"uri\":\"https://" + database + ".example/wiki/Berlin\",\"request_id\":\"Xt9kQApAICAAAB2vFgQAAAAC\","
        + "\"id\":\"" + id + "\",\"dt\":\"2020-06-09T08:00:00Z\",\"domain\":\"" + database + ".example\",\"stream\":\"mediawiki.job." + type + "\"},"
        + "\"database\":\"" + database + "\",\"type\":\"" + type + "\","
        + (delayUntil is null ? "" : "\"delay_until\":" + delayUntil + ",")
        + "\"params\":{\"urls\":[\"https://" + database + ".example/wiki/Berlin\"],\"requestId\":\"Xt9kQApAICAAAB2vFgQAAAAC\"},"
        + "\"mediawiki_signature\":\"9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c3b1f4e5d6c7a8b\"}";

    private static string Topic(string line) => "mediawiki.job." + System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("type").GetString();

    private static async Task ProduceAsync(string kcat, string bootstrap, string line)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        var database = doc.RootElement.GetProperty("database").GetString()!;
        await Kcat.RunAsync(kcat, ["-P", "-b", bootstrap, "-t", Topic(line), "-k", database], Encoding.UTF8.GetBytes(line + "\n"));
    }

    private sealed record ProducedEvent(string Line, DateTimeOffset? DelayUntil);
}

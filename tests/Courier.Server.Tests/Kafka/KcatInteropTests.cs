using System.Text;
using System.Text.Json;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Kafka;

/// <summary>
/// Interop with a Kafka client that is not Courier's (kcat, librdkafka's command-line tool): a job event in the original
/// system's shape produced by kcat is executed, and what Courier appends reads back through kcat unchanged.
/// </summary>
public sealed class KcatInteropTests
{
    private const string JobTopic = "mediawiki.job.refreshLinks";

    // A refreshLinks job as EventBus produced it in April 2019 (schema mediawiki/job version 3;
    // docs/original-system.md): meta.topic rather than meta.stream, the title at top level as
    // page_namespace/page_title, delay_until in UNIX seconds as a string (TS_UNIX), and no $schema.
    private const string EventBus2019 = """
        {
          "meta": {
            "uri": "https://en.wikipedia.org/wiki/Main_Page",
            "topic": "mediawiki.job.refreshLinks",
            "schema_uri": "mediawiki/job/3",
            "request_id": "XLb8mApAADsAAFX-vPIAAAAB",
            "id": "5f4b6a3e-60f4-11e9-a923-1681be663d3e",
            "dt": "2019-04-17T10:01:02+00:00",
            "domain": "en.wikipedia.org"
          },
          "database": "enwiki",
          "type": "refreshLinks",
          "page_namespace": 0,
          "page_title": "Main_Page",
          "delay_until": "1555495322",
          "root_event": { "signature": "5b7f0a4e9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "dt": "2019-04-17T10:00:00Z" },
          "params": {
            "prioritize": false,
            "rootJobSignature": "5b7f0a4e9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
            "rootJobTimestamp": "20190417100000",
            "causeAction": "edit-page",
            "causeAgent": "Example",
            "requestId": "XLb8mApAADsAAFX-vPIAAAAB"
          },
          "mediawiki_signature": "3b1f4e5d6c7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c"
        }
        """;

    [Fact]
    public async Task Kcat_ProducedJobEventInTheOriginalShape_IsExecutedByCourier()
    {
        var kcat = Kcat.Require();
        using var cluster = DevClusters.Start();
        await using (var log = DevClusters.OpenLog(cluster))
        {
            await log.EnsureTopicAsync(JobTopic, 4, TestContext.Current.CancellationToken);
        }

        await Kcat.RunAsync(kcat, ["-P", "-b", cluster.BootstrapServers, "-t", JobTopic, "-k", "enwiki"], OneLine(EventBus2019));

        using var dir = new TempDirectory();
        var handler = new RecordingHandler();
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Engine = JobLogEngine.DevCluster(cluster),
            MetricsPort = 0,
            Demo = false,
            ConfigureCourier = courier => courier
                .AddHandler("refreshLinks", handler)
                .ConfigureDispatcher(o => o.Rules.Add(new JobRule { Type = "refreshLinks" })),
        });
        await server.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Eventually.TrueAsync(() => !handler.Seen.IsEmpty, "the handler saw the job kcat produced", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }

        var job = Assert.Single(handler.Seen);
        Assert.Equal("5f4b6a3e-60f4-11e9-a923-1681be663d3e", job.Id);
        Assert.Equal("refreshLinks", job.Type);
        Assert.Equal("enwiki", job.Database);
        Assert.Equal("mediawiki.job.refreshLinks", job.Event.Meta.Topic);
        Assert.Equal(0, job.Event.PageNamespace);
        Assert.Equal("Main_Page", job.Event.PageTitle);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1555495322), job.Event.DelayUntil);
        Assert.Equal("edit-page", job.Params.GetProperty("causeAction").GetString());
        Assert.Equal(1, server.Dispatcher.GetStats().Single(s => s.Type == "refreshLinks").Succeeded);
    }

    [Fact]
    public async Task Kcat_ReadsRecordsCourierProduced_ByteForByte()
    {
        var kcat = Kcat.Require();
        using var cluster = DevClusters.Start();
        await using var log = new RecordingJobLog(DevClusters.OpenLog(cluster));
        using var telemetry = new CourierTelemetry();
        using (var client = new CourierClient(log, new CourierOptions(), telemetry, TimeProvider.System))
        {
            // Several wikis (keys, so several partitions), non-ASCII and escaped text, a delayed job.
            string[] wikis = ["enwiki", "dewiki", "plwiki", "jawiki"];
            string[] titles = ["Main_Page", "Łódź", "東京都", "Quote\"and\\backslash", "Tab\there"];
            var requests = wikis.SelectMany(wiki => titles.Select(title => new JobRequest
            {
                Type = "refreshLinks",
                Database = wiki,
                Params = new { title = new { @namespace = 0, dbkey = title } },
            })).ToList();
            await client.EnqueueBatchAsync(requests, TestContext.Current.CancellationToken);
            await client.EnqueueAsync(new JobRequest
            {
                Type = "refreshLinks",
                Database = "enwiki",
                Params = new { title = new { @namespace = 0, dbkey = "Later" } },
                DelayUntil = DateTimeOffset.UtcNow.AddHours(1),
            }, TestContext.Current.CancellationToken);
        }
        var produced = log.Produced;
        Assert.Equal(21, produced.Count);
        Assert.All(produced, p => Assert.Equal(JobTopic, p.Topic));

        var output = await Kcat.RunAsync(kcat, ["-C", "-b", cluster.BootstrapServers, "-t", JobTopic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"]);

        var read = Kcat.ParseKeyTabValueLines(output);
        Assert.Equal(Canonical(produced.Select(p => (p.Key!, p.Value))), Canonical(read));
        // And what kcat read is a job event Courier's codec accepts as it is.
        var codec = new JobEventCodec(new CourierOptions());
        Assert.All(read, r => Assert.Null(codec.Decode(r.Value).Error));
    }

    /// <summary>The event on one line, as EventBus sent it: kcat produces one record per input line.</summary>
    private static byte[] OneLine(string json) => Encoding.UTF8.GetBytes(string.Concat(json.Split('\n').Select(line => line.Trim())) + "\n");

    /// <summary>Records as sorted "key␟base64(value)" strings: partitions interleave differently for each reader.</summary>
    private static List<string> Canonical(IEnumerable<(string Key, byte[] Value)> records) =>
        records.Select(r => r.Key + "\u001f" + Convert.ToBase64String(r.Value)).Order(StringComparer.Ordinal).ToList();
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Courier.Cli.Commands;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Kafka;

public sealed class KafkaCliTests
{
    private const string RefreshLinksParams = """{"title":{"namespace":0,"dbkey":"Main_Page"}}""";

    [Fact]
    public async Task KafkaDev_ServesACluster_ThatUpStatsDlqAndEnqueueUse_AndExitsZeroOnSigterm()
    {
        using var dir = new TempDirectory();
        using var devCluster = CliProcess.Start("kafka", "dev", "--json");
        using var info = JsonDocument.Parse(await devCluster.FirstLineAsync(TimeSpan.FromSeconds(30)));
        var bootstrap = info.RootElement.GetProperty("bootstrap_servers").GetString()!;
        Assert.Equal(3, info.RootElement.GetProperty("brokers").GetInt32());
        Assert.Equal(3, bootstrap.Split(',').Length);

        // `courier up` in another process, as from another terminal.
        var up = await CliRun.RunAsync(["up", "--kafka", bootstrap, "--exit-when-idle", "--json", "--demo-jobs", "200", "--metrics-port", "0", "--data", dir.Path],
            TestContext.Current.CancellationToken);
        Assert.True(up.ExitCode == ExitCodes.Ok, up.Error);
        // A dispatcher on the mock in another process runs its groups on KIP-848 (see JobLogEngine.ForDispatcherOnDevClusterAsync).
        Assert.Contains(UpCommand.DevClusterNote, up.Error, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(up.Out);
        Assert.Equal("kafka", summary.RootElement.GetProperty("engine").GetString());
        Assert.Equal(bootstrap, summary.RootElement.GetProperty("job_log").GetString());
        Assert.False(summary.RootElement.GetProperty("dev_cluster").GetBoolean());
        Assert.True(summary.RootElement.GetProperty("reconciled").GetBoolean());
        Assert.True(summary.RootElement.GetProperty("demo").GetProperty("matches_expectation").GetBoolean());
        var deadLettered = summary.RootElement.GetProperty("totals").GetProperty("dead_lettered").GetInt64();
        Assert.True(deadLettered > 0, "the demo workload always dead-letters some jobs");
        Assert.False(File.Exists(Path.Combine(dir.Path, "log.db")), "a Kafka run must not create the embedded log");

        var stats = await CliRun.RunAsync("stats", "--kafka", bootstrap, "--json");
        Assert.True(stats.ExitCode == ExitCodes.Ok, stats.Error);
        using (var doc = JsonDocument.Parse(stats.Out))
        {
            Assert.Equal("kafka", doc.RootElement.GetProperty("engine").GetString());
            Assert.Equal(0, doc.RootElement.GetProperty("backlog").GetInt64());
            Assert.Equal(deadLettered, doc.RootElement.GetProperty("dead_letters").GetProperty("total").GetInt64());
        }

        var dlq = await CliRun.RunAsync("dlq", "list", "--kafka", bootstrap, "--limit", "0", "--json");
        Assert.True(dlq.ExitCode == ExitCodes.Ok, dlq.Error);
        using (var doc = JsonDocument.Parse(dlq.Out))
        {
            Assert.Equal(deadLettered, doc.RootElement.GetProperty("matching").GetInt64());
        }

        var enqueue = await CliRun.RunAsync("enqueue", "--kafka", bootstrap, "--type", "refreshLinks", "--params", RefreshLinksParams, "--json");
        Assert.True(enqueue.ExitCode == ExitCodes.Ok, enqueue.Error);
        using (var doc = JsonDocument.Parse(enqueue.Out))
        {
            Assert.Equal("mediawiki.job.refreshLinks", doc.RootElement.GetProperty("topic").GetString());
        }
        using (var doc = JsonDocument.Parse((await CliRun.RunAsync("stats", "--kafka", bootstrap, "--json")).Out))
        {
            // Nothing runs now: the new job waits in the log for the next dispatcher.
            Assert.Equal(1, doc.RootElement.GetProperty("backlog").GetInt64());
        }

        await devCluster.TerminateAsync();
        Assert.Equal(ExitCodes.Ok, await devCluster.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("stopped", devCluster.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_OnKafkaDev_RunsTheDemoOnAnInProcessCluster_AndReconciles()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync(["up", "--kafka", "dev", "--exit-when-idle", "--json", "--demo-jobs", "300", "--metrics-port", "0", "--data", dir.Path],
            TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("kafka", root.GetProperty("engine").GetString());
        Assert.True(root.GetProperty("dev_cluster").GetBoolean());
        Assert.True(root.GetProperty("reconciled").GetBoolean());
        Assert.Equal("idle", root.GetProperty("outcome").GetString());
        var totals = root.GetProperty("totals");
        Assert.Equal(300 + totals.GetProperty("recurring").GetInt64(), totals.GetProperty("accepted").GetInt64()); // the demo's recurring job's too
        Assert.Equal(0, totals.GetProperty("pending").GetInt64());
        var demo = root.GetProperty("demo");
        Assert.True(demo.GetProperty("matches_expectation").GetBoolean());
        // The inbox stays in the data directory whatever the engine; the job log is Kafka only.
        var delivered = root.GetProperty("types").GetProperty("massMessage").GetProperty("succeeded").GetInt64();
        Assert.Equal(delivered, demo.GetProperty("inbox").GetProperty("distinct_jobs").GetInt64());
        Assert.Equal(Path.Combine(dir.Path, "demo.db"), demo.GetProperty("inbox").GetProperty("path").GetString());
        Assert.False(File.Exists(Path.Combine(dir.Path, "log.db")));
    }

    [Fact]
    public async Task Serve_RunsOnTheConfiguredKafkaEngine_WithMetricsAndHealth_UntilStopped()
    {
        using var cluster = DevClusters.Start();
        await using var log = DevClusters.OpenLog(cluster);
        using var dir = new TempDirectory();
        var port = ServeSetup.FreePort();
        var config = await ServeSetup.WriteKafkaConfigAsync(dir, cluster, port, """
            dispatcher:
              group_id: serve-test
            """);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // The demo handlers serve refreshLinks, the type enqueued below.
        var serve = CliRun.RunAsync(["serve", "--demo", "--config", config, "--progress-interval", "1"], stop.Token);
        try
        {
            var enqueue = await CliRun.RunAsync("enqueue", "--config", config, "--type", "refreshLinks", "--params", RefreshLinksParams);
            Assert.True(enqueue.ExitCode == ExitCodes.Ok, enqueue.Error);

            await Eventually.TrueAsync(async () => await DevClusters.GroupCaughtUpAsync(log, "serve-test", "mediawiki.job.refreshLinks"), "the serve-test group caught up on mediawiki.job.refreshLinks", TimeSpan.FromSeconds(30));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var ready = await http.GetAsync(new Uri("health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Contains("courier_jobs", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
        }
        var result = await serve;

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        Assert.False(File.Exists(dir.File("log.db")), "serve on Kafka must not create the embedded log");
    }

    [Theory]
    [InlineData(new[] { "stats", "--kafka", "dev" }, "--kafka dev starts a development cluster that ends with this command")]
    [InlineData(new[] { "dlq", "list", "--kafka", "dev" }, "--kafka dev starts a development cluster that ends with this command")]
    [InlineData(new[] { "stats", "--kafka", "kafka-1" }, "--kafka: 'kafka-1' is neither `dev` nor a bootstrap list")]
    [InlineData(new[] { "kafka", "dev", "--kafka", "k:9092" }, "`courier kafka dev` starts one")]
    [InlineData(new[] { "kafka", "dev", "--brokers", "0" }, "--brokers must be between 1 and 16.")]
    public async Task KafkaOptions_Misused_AreUsageErrors(string[] args, string message)
    {
        var result = await CliRun.RunAsync(args, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}

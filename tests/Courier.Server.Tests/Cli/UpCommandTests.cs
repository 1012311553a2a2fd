using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class UpCommandTests
{
    /// <summary>The terminal states the reconciliation adds up.</summary>
    private static readonly string[] EndStates = ["succeeded", "dead_lettered", "ignored", "deduplicated", "superseded", "abandoned", "cancelled"];

    [Fact]
    public async Task Up_ExitsWhenIdle_WithAJsonSummaryThatReconciles()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync(["up", "--exit-when-idle", "--json", "--demo-jobs", "400", "--metrics-port", "0", "--data", dir.Path],
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("reconciled").GetBoolean());
        Assert.Equal("idle", root.GetProperty("outcome").GetString());
        var totals = root.GetProperty("totals");
        // The demo's recurring job (every 10 s) adds the jobs its ticks enqueued during the run, accepted like the others.
        var recurring = totals.GetProperty("recurring").GetInt64();
        Assert.Equal(400 + recurring, totals.GetProperty("accepted").GetInt64());
        Assert.Equal(0, totals.GetProperty("pending").GetInt64());
        Assert.Equal(400 + recurring, EndStates.Sum(state => totals.GetProperty(state).GetInt64()));
        // The embedded log has the embedded state store: the demo's duplicate pair and older root job did not run.
        Assert.Equal("embedded", root.GetProperty("state_store").GetProperty("name").GetString());
        var htmlCacheUpdate = root.GetProperty("types").GetProperty("htmlCacheUpdate");
        Assert.Equal((1L, 1L), (htmlCacheUpdate.GetProperty("deduplicated").GetInt64(), htmlCacheUpdate.GetProperty("superseded").GetInt64()));
        var demo = root.GetProperty("demo");
        Assert.True(demo.GetProperty("matches_expectation").GetBoolean());
        // Every successful massMessage delivered into the inbox; no crash here, so no duplicates either.
        var delivered = root.GetProperty("types").GetProperty("massMessage").GetProperty("succeeded").GetInt64();
        Assert.Equal(delivered, demo.GetProperty("inbox").GetProperty("distinct_jobs").GetInt64());
        Assert.Equal(delivered, demo.GetProperty("inbox").GetProperty("rows").GetInt64());
        // The built-in watcher's alerts at the end (the demo's failures may or may not fire one).
        Assert.Equal(JsonValueKind.Array, root.GetProperty("alerts").ValueKind);
    }

    [Fact]
    public async Task Up_StopsGracefully_OnTheShutdownSignal_AndStillReconciles()
    {
        using var dir = new TempDirectory();
        using var shutdown = new CancellationTokenSource();
        var run = CliRun.RunAsync(["up", "--json", "--demo-jobs", "20000", "--metrics-port", "0", "--data", dir.Path], shutdown.Token);

        await Eventually.TrueAsync(async () => await JobTopicRecordsAsync(dir) > 0, "courier up appended a job to a job topic", TimeSpan.FromSeconds(30));
        await shutdown.CancelAsync();
        var result = await run;

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("interrupted", doc.RootElement.GetProperty("outcome").GetString());
        Assert.True(doc.RootElement.GetProperty("reconciled").GetBoolean());
        var totals = doc.RootElement.GetProperty("totals");
        Assert.Equal(totals.GetProperty("accepted").GetInt64(),
            totals.GetProperty("succeeded").GetInt64() + totals.GetProperty("dead_lettered").GetInt64()
            + totals.GetProperty("ignored").GetInt64() + totals.GetProperty("pending").GetInt64());
        Assert.True(totals.GetProperty("pending").GetInt64() >= 0);
    }

    [Fact]
    public async Task Up_Fails_WithAHint_WhenTheMetricsPortIsTaken()
    {
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CliRun.RunAsync(["up", "--no-demo", "--exit-when-idle", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", dir.Path],
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("--metrics-port 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ExitsWithDataFileError_NamingTheFile_WhenTheInboxIsNotADatabase()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("demo.db"), new string('x', 8192), TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync(["up", "--exit-when-idle", "--demo-jobs", "5", "--metrics-port", "0", "--data", dir.Path],
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.DataFile, result.ExitCode);
        Assert.Contains(dir.File("demo.db"), result.Error, StringComparison.Ordinal);
    }

    private static async Task<long> JobTopicRecordsAsync(TempDirectory dir)
    {
        if (!File.Exists(dir.File("log.db")))
        {
            return 0;
        }
        await using var log = SqliteJobLog.Open(dir.File("log.db"));
        long records = 0;
        foreach (var topic in await log.ListTopicsAsync())
        {
            if (topic.Name.StartsWith("mediawiki.job.", StringComparison.Ordinal))
            {
                for (var p = 0; p < topic.Partitions; p++)
                {
                    records += (await log.GetWatermarksAsync(new TopicPartition(topic.Name, p))).High;
                }
            }
        }
        return records;
    }
}

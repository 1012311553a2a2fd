using System.Text.Json;
using Courier.Cli;
using Courier.Server.Downtimes;
using Courier.Server.Tests.Control;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// <c>--server URL</c> on the admin commands: <c>courier downtime add|list|cancel</c>, <c>pause</c>/<c>resume</c>,
/// <c>cancel</c> and <c>stats</c> run against a started dispatcher service, which does the work on its own log and
/// data directory (the command's <c>--data</c> is left untouched).
/// </summary>
public sealed class RemoteCommandsTests() : ServedControlTests("params_schemas:\n  require_schemas: false\ndispatcher:\n  rules:\n    demoJob: {}\n")
{
    private readonly TempDirectory _elsewhere = new("remote-cli");

    private string Server => Host.Server.BaseUrl!.ToString();

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync([.. args, "--server", Server, "--data", _elsewhere.Path], Ct);

    [Fact]
    public async Task Downtime_AddListCancel_OnTheServer_PrintWhatTheLocalCommandsPrint()
    {
        var add = await Run("downtime", "add", "--service", "courier", "--hosts", "mw13*", "--duration", "2h", "--comment", "deploy 1.2.3");
        var list = await Run("downtime", "list");
        var listJson = await Run("downtime", "list", "--json");
        var dryRun = await Run("downtime", "cancel", "--comment", "deploy 1.2.3", "--dry-run");
        var cancel = await Run("downtime", "cancel", "--comment", "deploy 1.2.3");
        var again = await Run("downtime", "cancel", "--comment", "deploy 1.2.3");

        var stored = Assert.Single(DowntimeStore.In(Host.Server.Data).List(includeEnded: true));
        Assert.False(File.Exists(Path.Combine(_elsewhere.Path, DowntimeStore.FileName)));
        Assert.Equal(ExitCodes.Ok, add.ExitCode);
        Assert.StartsWith($"Downtime group {stored.GroupId}: service courier on mw13* (instance =~ ^(mw13.*)(:\\d+)?$)", add.Out, StringComparison.Ordinal);
        Assert.Contains($"  store downtime      {stored.Id}  ({DowntimeStore.In(Host.Server.Data).Path})", add.Out, StringComparison.Ordinal);
        Assert.Contains("Cancel it with: courier downtime cancel --comment 'deploy 1.2.3'", add.Out, StringComparison.Ordinal);
        Assert.Equal($"{Environment.UserName}@{Environment.MachineName}", stored.CreatedBy);
        Assert.Contains(stored.Id, list.Out, StringComparison.Ordinal);
        Assert.Contains("active", list.Out, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(listJson.Out))
        {
            Assert.Equal(stored.Id, json.RootElement.GetProperty("downtimes")[0].GetProperty("id").GetString());
        }
        Assert.Contains($"would cancel store downtime {stored.Id}", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains("Dry run: 1 store downtime and 0 Alertmanager silences match; nothing changed.", dryRun.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
        Assert.Contains($"cancelled store downtime {stored.Id}  (group {stored.GroupId}, service courier, hosts mw13*", cancel.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Contains("no pending or active downtime has the comment \"deploy 1.2.3\"", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Downtime_Add_RefusedByTheServer_IsAUsageErrorWithItsReason()
    {
        var refused = await Run("downtime", "add", "--service", "courier", "--hosts", "mw1*", "--duration", "8d", "--comment", "too long");

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("over the maximum of 7 days (allowed with --force)", refused.Error, StringComparison.Ordinal);
        Assert.Empty(DowntimeStore.In(Host.Server.Data).List(includeEnded: true));
    }

    [Fact]
    public async Task PauseResume_OnTheServer_AreAppliedByItsDispatcher()
    {
        var pause = await Run("pause", "demoJob", "--reason", "bad release");
        await Eventually.TrueAsync(() => ValueTask.FromResult(Stats("demoJob").Paused), "the dispatcher applied the pause");
        var reason = Stats("demoJob").PauseReason;
        var stats = await Run("stats");
        var statsJson = await Run("stats", "--json");
        var resume = await Run("resume", "demoJob", "--json");
        await Eventually.TrueAsync(() => ValueTask.FromResult(!Stats("demoJob").Paused), "the dispatcher applied the resume");
        var unknown = await Run("pause", "noSuchType");

        Assert.Equal(ExitCodes.Ok, pause.ExitCode);
        Assert.Equal("Paused demoJob on every dispatcher of the log (bad release); `courier resume demoJob` ends it.", pause.Out.Trim());
        Assert.Equal($"bad release (by {Environment.UserName}@{Environment.MachineName})", reason);
        Assert.Equal(ExitCodes.Ok, stats.ExitCode);
        Assert.Contains($"Dispatcher {Server}", stats.Out, StringComparison.Ordinal);
        Assert.Contains("demoJob is paused: bad release", stats.Out, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(statsJson.Out))
        {
            var type = json.RootElement.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "demoJob");
            Assert.Equal("paused", type.GetProperty("state").GetString());
        }
        using (var json = JsonDocument.Parse(resume.Out))
        {
            Assert.False(json.RootElement.GetProperty("paused").GetBoolean());
        }
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Contains("unknown job type 'noSuchType'", unknown.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_elsewhere.Path, "log.db")));
    }

    [Fact]
    public async Task Cancel_OnTheServer_IsRecordedByItsDispatcher_AndAJobReachedLaterEndsCancelled()
    {
        var id = Guid.NewGuid().ToString();
        var cancel = await Run("cancel", id, "--reason", "wrong page");

        Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
        Assert.StartsWith($"Recorded the cancellation of job {id}; will cancel it if it is reached within 7d", cancel.Out, StringComparison.Ordinal);
        await Host.Server.Client.EnqueueAsync(new JobRequest { Type = "demoJob", Database = "testwiki", Id = id, Params = new { } }, Ct);
        await Eventually.TrueAsync(() => ValueTask.FromResult(Stats("demoJob").Cancelled == 1), "the job ended cancelled when reached");
    }

    [Fact]
    public async Task Downtime_WithServerAndAlertmanager_IsAUsageError()
    {
        var both = await Run("downtime", "list", "--alertmanager", "http://127.0.0.1:9093/");

        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Contains("--alertmanager and --server", both.Error, StringComparison.Ordinal);
    }
}

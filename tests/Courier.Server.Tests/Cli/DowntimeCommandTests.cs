using System.Text.Json;
using Courier.Cli;
using Courier.Server.Downtimes;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier downtime</c> with the data directory's store alone, and its refusals.</summary>
public sealed class DowntimeCommandTests
{
    [Fact]
    public async Task AddListCancel_WithoutAlertmanager_UseTheStoreAlone()
    {
        using var dir = new TempDirectory("downtimes");

        var add = await CliRun.RunAsync("downtime", "add", "--service", "courier", "--hosts", "mw1*", "--duration", "30m",
            "--comment", "T9 deploy", "--data", dir.Path);
        var list = await CliRun.RunAsync("downtime", "list", "--data", dir.Path);
        var cancel = await CliRun.RunAsync("downtime", "cancel", "--comment", "T9 deploy", "--data", dir.Path);
        var listAll = await CliRun.RunAsync("downtime", "list", "--all", "--json", "--data", dir.Path);

        Assert.Equal(ExitCodes.Ok, add.ExitCode);
        var stored = Assert.Single(DowntimeStore.Open(dir.File(DowntimeStore.FileName)).List(includeEnded: true));
        Assert.Contains($"Downtime group {stored.GroupId}", add.Out, StringComparison.Ordinal);
        Assert.Contains($"store downtime      {stored.Id}", add.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("alertmanager", add.Out, StringComparison.Ordinal);
        Assert.Contains(stored.Id, list.Out, StringComparison.Ordinal);
        Assert.Contains("active", list.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
        Assert.Contains($"cancelled store downtime {stored.Id}", cancel.Out, StringComparison.Ordinal);
        using var all = JsonDocument.Parse(listAll.Out);
        Assert.Equal("cancelled", all.RootElement.GetProperty("downtimes").EnumerateArray().Single().GetProperty("state").GetString());
        Assert.Null(all.RootElement.GetProperty("alertmanager").GetString());
    }

    [Fact]
    public async Task Cancel_WhenNothingMatches_ExitsOneSayingSo()
    {
        using var dir = new TempDirectory("downtimes");
        await CliRun.RunAsync("downtime", "add", "--service", "courier", "--hosts", "mw1*", "--duration", "30m",
            "--comment", "T9 deploy", "--data", dir.Path);

        var cancel = await CliRun.RunAsync("downtime", "cancel", "--comment", "T9", "--data", dir.Path);
        var dryRun = await CliRun.RunAsync("downtime", "cancel", "--comment", "T9", "--dry-run", "--data", dir.Path);

        Assert.Equal(ExitCodes.Failure, cancel.ExitCode);
        Assert.Contains("no pending or active downtime has the comment \"T9\"", cancel.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, dryRun.ExitCode);
        Assert.Single(DowntimeStore.Open(dir.File(DowntimeStore.FileName)).List(includeEnded: false));
    }

    [Fact]
    public async Task Add_WithAnUnreachableAlertmanager_FailsAndStoresNothing()
    {
        using var dir = new TempDirectory("downtimes");
        var url = LoopbackApp.RefusingUrl();
        var config = Path.Combine(dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(config, $"alerting:\n  alertmanager:\n    url: \"{url}\"\n", TestContext.Current.CancellationToken);

        var add = await CliRun.RunAsync("downtime", "add", "--service", "courier", "--hosts", "mw1*", "--duration", "30m",
            "--comment", "T9 deploy", "--data", dir.Path, "--config", config);

        Assert.Equal(ExitCodes.Failure, add.ExitCode);
        Assert.Contains($"cannot reach Alertmanager at {url}", add.Error, StringComparison.Ordinal);
        Assert.Empty(DowntimeStore.Open(dir.File(DowntimeStore.FileName)).List(includeEnded: true));
    }

    [Theory]
    [InlineData("--duration", "2 hours", "--duration: '2 hours' is not a duration")]
    [InlineData("--duration", "30s", "under the minimum of 1 minute")]
    [InlineData("--hosts", " ", "the host pattern is empty")]
    [InlineData("--hosts", "mw1,", "has an empty item")]
    [InlineData("--comment", "", "the comment is empty")]
    [InlineData("--start", "2001-01-01T00:00:00Z", "--start: 2001-01-01 00:00:00 UTC is in the past")]
    [InlineData("--alertmanager", "ftp://am", "--alertmanager: 'ftp://am' is not an http:// or https:// address")]
    public async Task Add_RefusesBadInput_WithUsageError_BeforeWritingAnything(string option, string value, string message)
    {
        using var dir = new TempDirectory("downtimes");
        var args = new Dictionary<string, string>
        {
            ["--service"] = "courier",
            ["--hosts"] = "mw1*",
            ["--duration"] = "2h",
            ["--comment"] = "T9",
            [option] = value,
        };

        var add = await CliRun.RunAsync([.. new[] { "downtime", "add", "--data", dir.Path }, .. args.SelectMany(kv => new[] { kv.Key, kv.Value })],
            CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, add.ExitCode);
        Assert.Contains(message, add.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File(DowntimeStore.FileName)));
    }

    [Fact]
    public async Task Cancel_RefusesAnInvalidRegex()
    {
        using var dir = new TempDirectory("downtimes");

        var cancel = await CliRun.RunAsync("downtime", "cancel", "--comment", "T9 (", "--regex", "--data", dir.Path);

        Assert.Equal(ExitCodes.Usage, cancel.ExitCode);
        Assert.Contains("--comment: 'T9 (' is not a regular expression", cancel.Error, StringComparison.Ordinal);
    }
}

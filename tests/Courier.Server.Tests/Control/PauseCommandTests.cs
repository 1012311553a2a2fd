using System.Text;
using System.Text.Json;
using Courier.Cli;
using Courier.Dispatching.Control;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Control;

/// <summary><c>courier pause</c> and <c>courier resume</c> write the control record every dispatcher of the log applies.</summary>
public sealed class PauseCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PauseThenResume_WriteTheTypesControlRecords_InOrder()
    {
        var paused = await CliRun.RunAsync("pause", "massMessage", "--reason", "release 1.2.3 breaks it", "--json", "--data", _dir.Path);
        var resumed = await CliRun.RunAsync("resume", "massMessage", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, paused.ExitCode);
        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        using (var json = JsonDocument.Parse(paused.Out))
        {
            Assert.True(json.RootElement.GetProperty("paused").GetBoolean());
            Assert.Equal("release 1.2.3 breaks it", json.RootElement.GetProperty("reason").GetString());
        }
        Assert.Equal("Resumed massMessage on every dispatcher of the log.", resumed.Out.Trim());
        await using var log = SqliteJobLog.Open(Path.Combine(_dir.Path, "log.db"));
        var records = (await TopicReader.ReadAllAsync(log, new TopicNames().ControlTopic))
            .Select(r => ControlRecord.Read(r.Key, r.Value.Span, r.Timestamp)!).ToList();
        Assert.Equal([("massMessage", true), ("massMessage", false)], records.Select(r => (r.Type, r.Paused)));
        Assert.All(records, r => Assert.Equal("pause/massMessage", r.Key));
        Assert.Equal($"{Environment.UserName}@{Environment.MachineName}", records[0].By);
    }

    [Fact]
    public async Task Stats_ListsTheTypesPausedOnEveryDispatcher_UntilResumed()
    {
        await CliRun.RunAsync("pause", "massMessage", "--reason", "bad release", "--data", _dir.Path);
        await CliRun.RunAsync("pause", "refreshLinks", "--data", _dir.Path);
        await CliRun.RunAsync("resume", "refreshLinks", "--data", _dir.Path);

        var text = await CliRun.RunAsync("stats", "--data", _dir.Path);
        var json = await CliRun.RunAsync("stats", "--json", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, text.ExitCode);
        Assert.Contains("Paused on every dispatcher: massMessage since ", text.Out, StringComparison.Ordinal);
        Assert.Contains("(bad release); `courier resume massMessage` ends it.", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("refreshLinks since", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(["massMessage"], doc.RootElement.GetProperty("paused").EnumerateArray().Select(p => p.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Pause_RefusesATypeTheConfigurationDoesNotCover_AsUsage()
    {
        var config = Path.Combine(_dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(config, "dispatcher:\n  rules:\n    massMessage: {}\n    refreshLinks: {}\n", Encoding.UTF8, TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync("pause", "massMesage", "--config", config, "--data", _dir.Path);
        var missing = await CliRun.RunAsync("resume", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("unknown job type 'massMesage': the configuration's rules name massMessage, refreshLinks", result.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
    }

    [Fact]
    public async Task Help_SaysWhatPauseAndResumeDo()
    {
        var pause = await CliRun.RunAsync("pause", "--help");
        var resume = await CliRun.RunAsync("resume", "--help");

        Assert.Equal(ExitCodes.Ok, pause.ExitCode);
        Assert.Contains("every dispatcher of the log", pause.Out, StringComparison.Ordinal);
        Assert.Contains("--reason", pause.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, resume.ExitCode);
        Assert.Contains("circuit breaker", resume.Out, StringComparison.Ordinal);
    }
}

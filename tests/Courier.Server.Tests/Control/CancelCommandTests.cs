using System.Text;
using System.Text.Json;
using Courier.Cli;
using Courier.Dispatching.Cancelling;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Control;

/// <summary><c>courier cancel ID</c> writes the cancel record every dispatcher of the log applies.</summary>
public sealed class CancelCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cancel_WritesTheJobsCancelRecord_AndSaysItIsRecordedForTheTtl()
    {
        var text = await CliRun.RunAsync("cancel", "job-1", "--reason", "wrong page", "--data", _dir.Path);
        var json = await CliRun.RunAsync("cancel", "job-2", "--json", "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, text.ExitCode);
        Assert.Equal("Recorded the cancellation of job job-1; will cancel it if it is reached within 7d (running on a dispatcher of the log, "
            + "or still pending). A job that already finished is not undone.", text.Out.Trim());
        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            Assert.Equal("cancel", doc.RootElement.GetProperty("kind").GetString());
            Assert.Equal("job-2", doc.RootElement.GetProperty("id").GetString());
            Assert.Equal("cancelled by an operator", doc.RootElement.GetProperty("reason").GetString());
            Assert.Equal(7 * 86_400, doc.RootElement.GetProperty("ttl_seconds").GetInt64());
        }
        await using var log = SqliteJobLog.Open(Path.Combine(_dir.Path, "log.db"));
        var records = (await TopicReader.ReadAllAsync(log, new TopicNames().ControlTopic))
            .Select(r => CancelRecord.Read(r.Key, r.Value.Span)!).ToList();
        Assert.Equal([("job-1", "wrong page"), ("job-2", "cancelled by an operator")], records.Select(r => (r.Id, r.Reason)));
        Assert.Equal("cancel/job-1", records[0].Key);
        Assert.Equal($"{Environment.UserName}@{Environment.MachineName}", records[0].By);
    }

    [Fact]
    public async Task Cancel_UsesTheConfiguredTtl()
    {
        var config = Path.Combine(_dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(config, "dispatcher:\n  cancel_ttl: 12h\n", Encoding.UTF8, TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync("cancel", "job-1", "--config", config, "--data", _dir.Path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("if it is reached within 12h", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_WithoutAnId_IsUsage_AndHelpSaysWhatItDoes()
    {
        var missing = await CliRun.RunAsync("cancel", "--data", _dir.Path);
        var help = await CliRun.RunAsync("cancel", "--help");

        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("every dispatcher of the log", help.Out, StringComparison.Ordinal);
        Assert.Contains("not undone", help.Out, StringComparison.Ordinal);
    }
}

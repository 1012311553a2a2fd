using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class CliParsingTests
{
    [Fact]
    public async Task Cli_ExitsWithUsage_OnUnknownOption()
    {
        var result = await CliRun.RunAsync("up", "--bogus");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--bogus", result.Error, StringComparison.Ordinal);
        Assert.Contains("courier up --help", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Cli_ExitsWithUsage_WhenEnqueueHasNoType()
    {
        var result = await CliRun.RunAsync("enqueue");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--type", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ExitsWithUsage_WhenEventIsCombinedWithType()
    {
        var result = await CliRun.RunAsync("enqueue", "--event", "{}", "--type", "refreshLinks");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--event", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ExitsWithUsage_WhenRawIsNotAFileOrStdin()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync("enqueue", "--raw", "not-a-file-reference", "--type", "refreshLinks", "--data", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("@FILE", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("log.db")));
    }

    [Fact]
    public async Task Cli_ExitsWithUsage_OnUnknownFailureClass()
    {
        var result = await CliRun.RunAsync("dlq", "list", "--class", "sometimes");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("sometimes", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--demo-jobs", "-1")]
    [InlineData("--metrics-port", "70000")]
    [InlineData("--metrics-port", "-5")]
    [InlineData("--demo-jobs", "many")]
    public async Task Up_ExitsWithUsage_OnOutOfRangeValues(string option, string value)
    {
        var result = await CliRun.RunAsync("up", option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_ExitsWithUsage_WhenDlqHasNoSubcommand()
    {
        var result = await CliRun.RunAsync("dlq");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task Cli_PrintsHelp_WhenRunWithoutCommand()
    {
        var result = await CliRun.RunAsync();

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (var command in new[] { "up", "enqueue", "stats", "dlq" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
        Assert.Contains("courier", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DlqReplayHelp_SaysWhereReplaysAreRecorded()
    {
        var result = await CliRun.RunAsync("dlq", "replay", "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("courier.dlq.replays", result.Out, StringComparison.Ordinal);
        Assert.Contains("--dry-run", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_ExitsWithDataFileError_AndCreatesNothing_WhenThereIsNoLog()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync("stats", "--data", dir.Path);

        Assert.Equal(ExitCodes.DataFile, result.ExitCode);
        Assert.Contains(dir.File("log.db"), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("log.db")));
    }

    [Fact]
    public async Task Errors_IncludeStackTrace_OnlyWithVerbose()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync("dlq", "list", "--data", dir.Path, "--verbose");

        Assert.Equal(ExitCodes.DataFile, result.ExitCode);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    public async Task Enqueue_ExitsWithUsage_AndCreatesNoLog_WhenParamsAreNotAJsonObject(string json)
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync("enqueue", "--type", "refreshLinks", "--params", json, "--data", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--params", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("log.db")));
    }

    [Fact]
    public async Task Enqueue_ExitsWithUsage_WhenParamsFileIsMissing()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("missing.json");

        var result = await CliRun.RunAsync("enqueue", "--type", "refreshLinks", "--params", "@" + missing, "--data", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_MapsFailuresToExitCodes()
    {
        Assert.Equal((ExitCodes.Failure, "InvalidOperationException: boom"),
            CourierCli.Describe(new InvalidOperationException("boom"), interrupted: false, logPath: null));
        Assert.Equal(ExitCodes.Interrupted, CourierCli.Describe(new OperationCanceledException(), interrupted: true, null).ExitCode);
        Assert.Equal(ExitCodes.Failure, CourierCli.Describe(new OperationCanceledException(), interrupted: false, null).ExitCode);
        Assert.Equal(ExitCodes.Usage, CourierCli.Describe(new UsageException("bad"), false, null).ExitCode);
        Assert.Equal(ExitCodes.Usage, CourierCli.Describe(new JobEncodingException("too big"), false, null).ExitCode);

        var (code, message) = CourierCli.Describe(new JobLogException("database is locked"), false, "/data/log.db");
        Assert.Equal(ExitCodes.DataFile, code);
        Assert.Contains("/data/log.db", message, StringComparison.Ordinal);
        Assert.Contains("database is locked", message, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using Courier.Cli;
using Courier.Cli.Logging;
using Courier.Cli.Settings;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// <c>--log-format</c> of the commands that log to stderr: the flag, else <c>COURIER_LOG_FORMAT</c>, else text; anything
/// but text or json is a usage error naming where the value came from. A failure in the JSON format is a JSON line too.
/// </summary>
public sealed class LogFormatTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("runner")]
    [InlineData("kafka dev")]
    public async Task BadFlagValue_IsAUsageError_NamingTheOption(string command)
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync([.. command.Split(' '), "--data", dir.Path, "--log-format", "xml"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--log-format must be text or json, not 'xml'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, nameof(LogFormat.Text))]
    [InlineData(null, "json", nameof(LogFormat.Json))]
    [InlineData(null, "JSON", nameof(LogFormat.Json))]
    [InlineData("text", "json", nameof(LogFormat.Text))]
    [InlineData("json", null, nameof(LogFormat.Json))]
    public void Resolve_TakesTheFlag_ThenTheEnvironment_ThenText(string? flag, string? environment, string expected)
    {
        var (parse, option) = Parse(flag);

        Assert.Equal(Enum.Parse<LogFormat>(expected), LogFormatOption.Resolve(parse, option, name => name == LogFormatOption.EnvironmentVariable ? environment : null));
    }

    [Fact]
    public void Resolve_RefusesAnEnvironmentValue_ThatIsNoFormat_NamingTheVariable()
    {
        var (parse, option) = Parse(null);

        var e = Assert.Throws<UsageException>(() => LogFormatOption.Resolve(parse, option, _ => "yaml"));

        Assert.Contains("COURIER_LOG_FORMAT: 'yaml' is not a log format", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InJson_ReportsItsFailure_AsOneJsonErrorEvent()
    {
        using var dir = new TempDirectory();
        // Nothing to serve (no --demo, no configuration): refused after the format is known.
        using var serve = CliProcess.Start("serve", "--data", dir.Path, "--metrics-port", "0", "--log-format", "json");

        Assert.Equal(ExitCodes.Usage, await serve.WaitForExitAsync(Eventually.DefaultBound));

        var failed = Assert.Single(JsonLogLines.Parse(serve.Stderr));
        Assert.Equal("Error", failed.GetProperty("LogLevel").GetString());
        Assert.Equal(3201, failed.GetProperty("EventId").GetInt32());
        Assert.Contains("nothing to serve", failed.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    private static (ParseResult Parse, Option<string?> Option) Parse(string? flag)
    {
        var option = LogFormatOption.Create();
        var command = new Command("test") { option };
        return (command.Parse(flag is null ? [] : ["--log-format", flag]), option);
    }
}

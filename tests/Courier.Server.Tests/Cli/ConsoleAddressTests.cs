using System.Globalization;
using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier up</c> and <c>courier serve</c> say where the web console answers when they start.</summary>
public sealed class ConsoleAddressTests
{
    [Fact]
    public async Task Up_PrintsTheConsoleUrl()
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync(["up", "--exit-when-idle", "--demo-jobs", "5", "--metrics-port", "0", "--data", dir.Path],
            TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Matches(@"(?m)^console: http://127\.0\.0\.1:\d+/ui$", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Serve_PrintsTheConsoleUrl_OnItsPort()
    {
        using var dir = new TempDirectory();
        var port = ServeSetup.FreePort();
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = CliRun.RunAsync(["serve", "--demo", "--data", dir.Path, "--metrics-port", port.ToString(CultureInfo.InvariantCulture)], shutdown.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Eventually.TrueAsync(() => new ValueTask<bool>(ServeSetup.IsReadyAsync(http)), "courier serve is ready");
        await shutdown.CancelAsync();

        var result = await run;

        Assert.Contains($"console: http://127.0.0.1:{port}/ui", result.Error, StringComparison.Ordinal);
    }
}

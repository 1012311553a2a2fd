using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class ConfigOptionTests
{
    [Fact]
    public async Task Up_ExitsWithUsage_NamingFileAndKey_WhenTheConfigIsInvalid()
    {
        using var dir = new TempDirectory();
        var config = dir.File("courier.yaml");
        await File.WriteAllTextAsync(config, "dispatcher:\n  rules:\n    massMessage:\n      concurrency: 0\n", TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync("up", "--config", config, "--data", dir.Path, "--metrics-port", "0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(config, result.Error, StringComparison.Ordinal);
        Assert.Contains("concurrency", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("log.db")));
    }

    [Fact]
    public async Task Stats_ExitsWithUsage_WhenTheConfigFileIsMissing()
    {
        using var dir = new TempDirectory();
        var config = dir.File("missing.yaml");

        var result = await CliRun.RunAsync("stats", "--config", config, "--data", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(config, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ExitsWithUsage_WhenMetricsListenIsNotLoopback()
    {
        using var dir = new TempDirectory();
        var config = dir.File("courier.yaml");
        await File.WriteAllTextAsync(config, "metrics:\n  listen: 0.0.0.0:9464\n", TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync("up", "--config", config, "--data", dir.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("metrics.listen", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_UseTheConfigsDataDirectory_UnlessDataIsGiven()
    {
        using var dir = new TempDirectory();
        var config = dir.File("courier.json");
        var fromConfig = Path.Combine(dir.Path, "from-config");
        await File.WriteAllTextAsync(config, $$"""{"data": "{{fromConfig.Replace("\\", "\\\\", StringComparison.Ordinal)}}"}""", TestContext.Current.CancellationToken);

        var viaConfig = await CliRun.RunAsync("stats", "--config", config);
        var viaFlag = await CliRun.RunAsync("stats", "--config", config, "--data", dir.Path);

        Assert.Equal(ExitCodes.DataFile, viaConfig.ExitCode);
        Assert.Contains(Path.Combine(fromConfig, "log.db"), viaConfig.Error, StringComparison.Ordinal);
        Assert.Contains(dir.File("log.db"), viaFlag.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_UsesTheConfigsRules_AndTopicNames()
    {
        using var dir = new TempDirectory();
        var config = dir.File("courier.yaml");
        await File.WriteAllTextAsync(config, """
            service: wiki
            dispatcher:
              group_id: test-dispatchers
              rules:
                refreshLinks:
                  concurrency: 5
                  retry: { limit: 0 }
            """, TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync(["up", "--config", config, "--data", dir.Path, "--metrics-port", "0", "--demo-jobs", "100",
            "--exit-when-idle", "--json"], TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.Equal("test-dispatchers", doc.RootElement.GetProperty("group").GetString());
        Assert.True(doc.RootElement.GetProperty("reconciled").GetBoolean());
        // retry limit 0 for refreshLinks: its transient failures are dead-lettered at once, so the demo's
        // expectation (computed for the demo rules' limit of 2) no longer matches.
        var refresh = doc.RootElement.GetProperty("types").GetProperty("refreshLinks");
        Assert.Equal(0, refresh.GetProperty("retried").GetInt64());
        var stats = await CliRun.RunAsync("stats", "--json", "--config", config, "--data", dir.Path);
        Assert.Contains("\"wiki.error\"", stats.Out, StringComparison.Ordinal);
    }
}

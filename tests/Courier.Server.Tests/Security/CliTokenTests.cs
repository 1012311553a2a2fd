using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>The CLI's <c>--token</c> against a dispatcher with authentication on, through the real commands.</summary>
public sealed class CliTokenTests
{
    [Fact]
    public async Task Alerts_WithoutAToken_SaysHowToGiveOne_WithItWorks_AndCanaryResetWithAReadTokenIs403()
    {
        await using var server = await SecuredServer.StartAsync();
        var url = server.Server.AdminUrl!.ToString();

        var without = await CliRun.RunAsync("alerts", "--server", url);
        var with = await CliRun.RunAsync("alerts", "--server", url, "--token", SecuredServer.ReadToken, "--json");
        var wrongScope = await CliRun.RunAsync("canary", "reset", "no-such-pool", "--server", url, "--token", SecuredServer.ReadToken);

        Assert.Equal(1, without.ExitCode);
        Assert.Contains("401: this server needs a token: --token or COURIER_TOKEN", without.Error, StringComparison.Ordinal);
        Assert.True(with.ExitCode == 0, with.Error);
        Assert.Contains("\"alerts\"", with.Out, StringComparison.Ordinal);
        Assert.Equal(1, wrongScope.ExitCode);
        Assert.Contains("403", wrongScope.Error, StringComparison.Ordinal);
        Assert.Contains("scope operate", wrongScope.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecuredServer.ReadToken, without.Error + with.Error + wrongScope.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutServer_TheCliFindsTheAdminAddressOfTheConfiguration()
    {
        await using var server = await SecuredServer.StartAsync(adminListen: "127.0.0.1:0");
        using var dir = new Courier.Testing.TempDirectory("cli-admin");
        var config = dir.File("courier.yaml");
        await File.WriteAllTextAsync(config, $"http:\n  listen: {{ admin: \"127.0.0.1:{server.Server.AdminUrl!.Port}\" }}\n",
            TestContext.Current.CancellationToken);

        var result = await CliRun.RunAsync("alerts", "--config", config, "--data", dir.Path, "--token", SecuredServer.ReadToken);

        Assert.NotEqual(server.Server.AdminUrl.Port, server.Server.MetricsBaseUrl!.Port);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"No alerts at {server.Server.AdminUrl}v1/alerts", result.Out, StringComparison.Ordinal);
    }
}

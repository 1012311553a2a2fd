using System.Net;
using System.Net.Http.Json;
using Courier.Cli;
using Courier.Server.Tests.Security;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Admin;

/// <summary>The dead letters under tokens: a reader lists but cannot replay, an operator replays; the CLI sends --token.</summary>
public sealed class DeadLetterAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadTokenLists_OnlyOperateReplays_AndTheCliSendsItsToken()
    {
        await using var server = await SecuredServer.StartAsync();
        await DeadLetterSeed.SeedAsync(server.Server.Log, server.Server.CourierOptions.Topics);
        using var reader = server.Client(SecuredServer.ReadToken);
        using var operatorClient = server.Client(SecuredServer.OperateToken);
        using var anonymous = server.Client(token: null);

        using var list = await reader.GetAsync(new Uri("v1/dead-letters", UriKind.Relative), Ct);
        using var unsigned = await anonymous.GetAsync(new Uri("v1/dead-letters", UriKind.Relative), Ct);
        using var readerReplay = await reader.PostAsJsonAsync("v1/dead-letters/replay", new { type = "massMessage" }, Ct);
        using var operatorReplay = await operatorClient.PostAsJsonAsync("v1/dead-letters/replay", new { type = "massMessage" }, Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readerReplay.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorReplay.StatusCode);

        var url = server.Server.AdminUrl!.ToString();
        var withToken = await CliRun.RunAsync(["dlq", "list", "--json", "--server", url, "--token", SecuredServer.ReadToken], Ct);
        var without = await CliRun.RunAsync(["dlq", "list", "--server", url], Ct);
        Assert.True(withToken.ExitCode == ExitCodes.Ok, withToken.Error);
        Assert.Equal(ExitCodes.Failure, without.ExitCode);
        Assert.Contains("401", without.Error, StringComparison.Ordinal);
    }
}

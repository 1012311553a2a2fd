using System.Net;
using System.Net.Http.Json;
using Courier.Cli;
using Courier.Server.Downtimes;
using Courier.Server.Tests.Security;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Types;

/// <summary>The admin API's own endpoints under bearer tokens: reads need read, changes need operate; the CLI's --token.</summary>
public sealed class AdminApiAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_NeedRead_Downtimes_NeedOperate_AndRecordTheTokensName()
    {
        await using var secured = await SecuredServer.StartAsync();
        using var anonymous = secured.Client(null);
        using var reader = secured.Client(SecuredServer.ReadToken);
        using var operatorClient = secured.Client(SecuredServer.OperateToken);
        var downtime = new { service = "courier", hosts = "mw1*", duration = "1h", comment = "scoped" };

        foreach (var route in new[] { "/v1/types", "/v1/types/history", "/v1/downtimes", "/v1/openapi.json" })
        {
            using var refused = await anonymous.GetAsync(route, Ct);
            using var read = await reader.GetAsync(route, Ct);
            Assert.Equal((route, HttpStatusCode.Unauthorized), (route, refused.StatusCode));
            Assert.Equal((route, HttpStatusCode.OK), (route, read.StatusCode));
        }
        using (var forbidden = await reader.PostAsJsonAsync("/v1/downtimes", downtime, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        using (var added = await operatorClient.PostAsJsonAsync("/v1/downtimes", downtime, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }
        Assert.Equal("token operator", Assert.Single(DowntimeStore.In(secured.Server.Data).List(includeEnded: false)).CreatedBy);
    }

    [Fact]
    public async Task Cli_WithServerAndToken_NeedsTheScope()
    {
        await using var secured = await SecuredServer.StartAsync();
        using var elsewhere = new TempDirectory("remote-cli");
        string[] Args(string token) => ["downtime", "cancel", "--comment", "nothing like it", "--server", secured.Server.AdminUrl!.ToString(),
            "--token", token, "--data", elsewhere.Path];

        var asReader = await CliRun.RunAsync(Args(SecuredServer.ReadToken), Ct);
        var asOperator = await CliRun.RunAsync(Args(SecuredServer.OperateToken), Ct);
        var stats = await CliRun.RunAsync(["stats", "--server", secured.Server.AdminUrl!.ToString(), "--token", SecuredServer.ReadToken,
            "--data", elsewhere.Path], Ct);

        Assert.Equal(ExitCodes.Failure, asReader.ExitCode);
        Assert.Contains("403", asReader.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, asOperator.ExitCode);
        Assert.Contains("no pending or active downtime has the comment \"nothing like it\"", asOperator.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, stats.ExitCode);
        Assert.Contains("Dispatcher ", stats.Out, StringComparison.Ordinal);
    }
}

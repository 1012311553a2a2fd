using System.Net;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>No token reaches the logs: refusals are logged at warning with a reason and the remote address only.</summary>
public sealed class LogSecrecyTests
{
    [Fact]
    public async Task GoodAndBadTokens_NeverAppearInTheLogs_AndRefusalsAreWarnings()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new LogCapture();
        const string Bad = "wrong-token-Zq81xv0123456789";
        await using (var server = await SecuredServer.StartAsync(logs: logs))
        {
            foreach (var token in new[] { SecuredServer.ReadToken, SecuredServer.OperateToken, SecuredServer.IntakeToken, Bad })
            {
                using var http = server.Client(token);
                using var read = await http.GetAsync(new Uri("v1/alerts", UriKind.Relative), ct);
                using var write = await http.PostAsync(new Uri("v1/types/massMessage/pause", UriKind.Relative), null, ct);
                using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token });
                using var signIn = await http.PostAsync(new Uri("ui/login", UriKind.Relative), form, ct);
                _ = (read.StatusCode, write.StatusCode, signIn.StatusCode);
            }
            using var anonymous = server.Client(null);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("v1/alerts", UriKind.Relative), ct)).StatusCode);
        }

        var text = string.Join('\n', logs.Lines);
        Assert.NotEmpty(logs.Matching(5200, "401", "127.0.0.1"));
        Assert.NotEmpty(logs.Matching(5200, "403", "scope operate"));
        Assert.All(logs.Entries.Where(e => e.EventId == 5200), e => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, e.Level));
        foreach (var secret in new[] { SecuredServer.ReadToken, SecuredServer.OperateToken, SecuredServer.IntakeToken, Bad })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        // Refusals name no token either (name-free reasons).
        Assert.All(logs.Matching(5200), l => Assert.DoesNotContain("reader", l, StringComparison.Ordinal));
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Courier.Server.Security;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier token new</c> and <c>courier token hash</c>: what goes in auth.tokens matches the token.</summary>
public sealed partial class TokenCommandTests
{
    [Fact]
    public async Task New_PrintsATokenWhoseSha256IsTheConfigEntry_AndHashReadsStdin()
    {
        var created = await CliRun.RunAsync("token", "new", "--name", "grafana", "--scopes", "read");
        Assert.True(created.ExitCode == 0, created.Error);
        var token = TokenLine().Match(created.Out).Groups[1].Value;
        var entry = AccessTokens([$"grafana={token}:read"]);

        using var input = new MemoryStream(Encoding.UTF8.GetBytes(token + "\n"));
        var hashed = await CliRun.RunAsync(["token", "hash"], CancellationToken.None, input);

        Assert.Equal(43, token.Length);
        Assert.Contains($"sha256: {AccessToken.HashHex(token)}, scopes: [read]", created.Out, StringComparison.Ordinal);
        Assert.Contains($"COURIER_ADMIN_TOKENS=grafana={token}:read", created.Out, StringComparison.Ordinal);
        Assert.Equal([AccessScope.Read], entry.Scopes);
        Assert.True(hashed.ExitCode == 0, hashed.Error);
        Assert.Equal(AccessToken.HashHex(token), hashed.Out.Trim());
    }

    [Fact]
    public async Task Hash_WithNothingOnStdin_IsAUsageError()
    {
        var result = await CliRun.RunAsync("token", "hash");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no token on stdin", result.Error, StringComparison.Ordinal);
    }

    private static AccessToken AccessTokens(string[] entries) => Assert.Single(AdminTokensVariable.Parse(string.Join(',', entries)));

    [GeneratedRegex(@"^token:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex TokenLine();
}

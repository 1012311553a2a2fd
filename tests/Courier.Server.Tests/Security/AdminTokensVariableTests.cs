using Courier.Server.Security;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary><c>COURIER_ADMIN_TOKENS</c>: <c>name=token[:scope+scope]</c>, comma-separated; errors name the entry, never its token.</summary>
public sealed class AdminTokensVariableTests
{
    [Fact]
    public void Entries_AreHashed_WithTheirScopes_OrReadAndOperate()
    {
        var tokens = AdminTokensVariable.Parse(" alice=s3cret-a , ingest=s3cret-b:intake, bot=s3cret-c:read+operate");

        Assert.Equal(["alice", "ingest", "bot"], tokens.Select(t => t.Name));
        Assert.Equal([AccessScope.Read, AccessScope.Operate], tokens[0].Scopes);
        Assert.Equal([AccessScope.Intake], tokens[1].Scopes);
        Assert.Equal(AccessToken.Hash("s3cret-a"), tokens[0].Sha256);
        Assert.True(tokens[0].Grants(AccessScope.Read));
        Assert.False(tokens[1].Grants(AccessScope.Read));
    }

    [Fact]
    public void Unset_IsNoTokens() => Assert.Empty(AdminTokensVariable.Parse(null));

    [Theory]
    [InlineData("=Qx7secret", "entry 1 is not name=token")]
    [InlineData("a=Qx7secret,b=", "entry 2 ('b') has an empty token")]
    [InlineData("a=Qx7secret:admin", "entry 1 ('a'): what follows ':' is not scopes")]
    [InlineData("a=Qx7secret,a=Qx7secret2", "two tokens are named 'a'")]
    [InlineData("a=Qx7secret,b=Qx7secret", "are the same token")]
    public void Malformed_IsRefused_NamingTheEntryButNotTheToken(string value, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new AccessTokens(AdminTokensVariable.Parse(value)));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Qx7secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenHoldingAColon_IsRefused_WithoutEchoingWhatFollows()
    {
        var e = Assert.Throws<ArgumentException>(() => AdminTokensVariable.Parse("a=abc:topsecretpart"));

        Assert.DoesNotContain("topsecretpart", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot hold ':'", e.Message, StringComparison.Ordinal);
    }
}

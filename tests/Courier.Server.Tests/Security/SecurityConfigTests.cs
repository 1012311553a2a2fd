using Courier.Server.Configuration;
using Courier.Server.Security;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>The <c>auth</c> and <c>http.listen</c>/<c>http.tls</c> sections as a file gives them; errors name the key.</summary>
public sealed class SecurityConfigTests
{
    [Fact]
    public void AFile_GivesTokensByHash_ListenAddressesAndTls()
    {
        using var dir = new TempDirectory("security-config");
        var hash = AccessToken.HashHex("a-token");

        var config = TestConfig.Load(dir.Path, $$"""
            auth:
              tokens:
                - { name: ops, sha256: {{hash}}, scopes: [operate] }
                - { name: all-default, sha256: {{AccessToken.HashHex("other")}} }
              allow_unauthenticated_network: true
            http:
              listen: { admin: "127.0.0.1:9465", intake: "https://0.0.0.0:9443" }
              tls: { certificate: tls.crt, key: tls.key }
            """);

        var tokens = config.Auth!.Tokens!.Select(t => t.ToToken()).ToList();
        Assert.Equal("ops", tokens[0].Name);
        Assert.Equal([AccessScope.Operate], tokens[0].Scopes);
        Assert.Equal(AccessToken.DefaultScopes, tokens[1].Scopes);
        Assert.NotNull(new AccessTokens(tokens).Authenticate("a-token"));
        Assert.True(config.Auth.AllowUnauthenticatedNetwork);
        Assert.Equal("https://0.0.0.0:9443", config.Http!.Listen!.Intake);
        Assert.Equal(Path.Combine(dir.Path, "tls.crt"), config.Http.Tls!.Certificate);
    }

    [Theory]
    [InlineData("auth:\n  tokens:\n    - { name: ops, sha256: abc }\n", "auth.tokens[0].sha256: must be the 64 hex digits")]
    [InlineData("auth:\n  tokens:\n    - { sha256: 0000000000000000000000000000000000000000000000000000000000000000 }\n", "auth.tokens[0]: needs 'name'")]
    [InlineData("auth:\n  tokens:\n    - { name: ops, sha256: 0000000000000000000000000000000000000000000000000000000000000000, scopes: [admin] }\n",
        "auth.tokens[0].scopes[0]: 'admin' is not a scope")]
    [InlineData("http:\n  listen: { admin: \"example.org:80\" }\n", "http.listen.admin: 'example.org:80': the host must be an IP address")]
    [InlineData("http:\n  listen: { intake: \"https://127.0.0.1:9443\" }\n", "http.listen.intake: is an https:// address, but http.tls gives no certificate")]
    public void Mistakes_AreRefused_NamingTheKey(string yaml, string expected)
    {
        using var dir = new TempDirectory("security-config");

        var e = Assert.Throws<CourierConfigException>(() => TestConfig.Load(dir.Path, yaml));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

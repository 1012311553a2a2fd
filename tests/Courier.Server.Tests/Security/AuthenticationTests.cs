using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Courier.Server.Configuration;
using Courier.Server.Hosting;
using Courier.Server.Demo;
using Courier.Server.Security;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>Bearer tokens on the admin and intake surfaces: 401 without, 403 without the scope, 200 with it; rotation; hashed config tokens.</summary>
public sealed class AuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoToken_Is401WithBearerChallengeAndJsonError_WhileMetricsAndHealthStayOpen()
    {
        await using var server = await SecuredServer.StartAsync();
        using var anonymous = server.Client(token: null);

        using var alerts = await anonymous.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var metrics = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative), Ct);
        using var health = await anonymous.GetAsync(new Uri("health/live", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, alerts.StatusCode);
        Assert.Equal("Bearer", Assert.Single(alerts.Headers.WwwAuthenticate).Scheme);
        var error = JsonNode.Parse(await alerts.Content.ReadAsStringAsync(Ct))!["error"]!.GetValue<string>();
        Assert.Contains("needs a token", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task UnknownToken_Is401()
    {
        await using var server = await SecuredServer.StartAsync();
        using var stranger = server.Client("not-a-configured-token");

        using var response = await stranger.GetAsync(new Uri("v1/probes", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ScopesDecide_ReadReadsButCannotPause_OperateDoesBoth_IntakeOnlyEnqueues()
    {
        await using var server = await SecuredServer.StartAsync();
        using var reader = server.Client(SecuredServer.ReadToken);
        using var @operator = server.Client(SecuredServer.OperateToken);
        using var producer = server.Client(SecuredServer.IntakeToken);
        var pause = new Uri($"v1/types/{DemoJobTypes.MassMessage}/pause", UriKind.Relative);

        using var readerReads = await reader.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var readerPauses = await reader.PostAsJsonAsync(pause, new { reason = "test" }, Ct);
        using var operatorReads = await @operator.GetAsync(new Uri("v1/recurring", UriKind.Relative), Ct);
        using var operatorPauses = await @operator.PostAsJsonAsync(pause, new { reason = "test" }, Ct);
        using var producerReads = await producer.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var producerEnqueues = await producer.PostAsync(new Uri("v1/events", UriKind.Relative),
            new StringContent("[]", System.Text.Encoding.UTF8, "application/json"), Ct);
        using var operatorEnqueues = await @operator.PostAsync(new Uri("v1/events", UriKind.Relative),
            new StringContent("[]", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, readerReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readerPauses.StatusCode);
        Assert.Contains("scope operate", await readerPauses.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, operatorReads.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorPauses.StatusCode);
        // The pause record names the token that asked, not only an address.
        Assert.Contains("token operator", await operatorPauses.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, producerReads.StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, producerEnqueues.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, producerEnqueues.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, operatorEnqueues.StatusCode);
    }

    [Fact]
    public async Task Rotation_TwoTokensWorkAtOnce_AndTheRemovedOneFailsAfterRestart()
    {
        using var data = new TempDirectory("rotation");
        var old = AccessToken.FromSecret("ops-2026-11", "old-secret-0123456789", AccessScope.Read);
        var next = AccessToken.FromSecret("ops-2026-12", "new-secret-0123456789", AccessScope.Read);
        var alerts = new Uri("v1/alerts", UriKind.Relative);

        HttpStatusCode oldDuring, nextDuring;
        await using (var both = await SecuredServer.StartAsync([old, next], dataDirectory: data.Path))
        {
            using var oldClient = both.Client("old-secret-0123456789");
            using var nextClient = both.Client("new-secret-0123456789");
            oldDuring = (await oldClient.GetAsync(alerts, Ct)).StatusCode;
            nextDuring = (await nextClient.GetAsync(alerts, Ct)).StatusCode;
        }
        await using var after = await SecuredServer.StartAsync([next], dataDirectory: data.Path);
        using var oldAfterClient = after.Client("old-secret-0123456789");
        using var nextAfterClient = after.Client("new-secret-0123456789");
        var oldAfter = (await oldAfterClient.GetAsync(alerts, Ct)).StatusCode;
        var nextAfter = (await nextAfterClient.GetAsync(alerts, Ct)).StatusCode;

        Assert.Equal(HttpStatusCode.OK, oldDuring);
        Assert.Equal(HttpStatusCode.OK, nextDuring);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAfter);
        Assert.Equal(HttpStatusCode.OK, nextAfter);
    }

    [Fact]
    public async Task ConfiguredTokens_AreMatchedByTheirSha256_WithTheirScopes()
    {
        var config = new CourierConfig
        {
            Auth = new AuthConfig
            {
                Tokens = [new AuthTokenConfig { Name = "grafana", Sha256 = AccessToken.HashHex("grafana-secret-0123456789"), Scopes = ["read"] }],
            },
        };
        await using var server = await SecuredServer.StartAsync(tokens: [], config: config);
        using var grafana = server.Client("grafana-secret-0123456789");
        using var byHash = server.Client(AccessToken.HashHex("grafana-secret-0123456789"));

        using var reads = await grafana.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var pauses = await grafana.PostAsync(new Uri($"v1/types/{DemoJobTypes.MassMessage}/pause", UriKind.Relative), null, Ct);
        using var hashAsToken = await byHash.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pauses.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hashAsToken.StatusCode);
    }

    [Fact]
    public async Task EnvironmentTokens_AreRead_WithDefaultScopesReadAndOperate()
    {
        using var data = new TempDirectory("env-tokens");
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new Courier.Server.Data.CourierDataDirectory(data.Path),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
            Environment = name => name == AdminTokensVariable.Name ? "ci=ci-secret-0123456789,feeder=feed-secret-0123456789:intake" : null,
        });
        await server.StartAsync(Ct);
        using var ci = new HttpClient { BaseAddress = server.AdminUrl };
        ci.DefaultRequestHeaders.Authorization = new("Bearer", "ci-secret-0123456789");
        using var anonymous = new HttpClient { BaseAddress = server.AdminUrl };

        using var pauses = await ci.PostAsync(new Uri($"v1/types/{DemoJobTypes.MassMessage}/resume", UriKind.Relative), null, Ct);
        using var refused = await anonymous.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        await server.StopAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, pauses.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}

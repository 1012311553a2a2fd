using System.Net;
using System.Text;
using System.Text.Json;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// The dispatcher service answers only the host names it allows (loopback names by default, with any port), on every
/// endpoint: a web page that rebinds its own name to 127.0.0.1 cannot post to the intake or read the metrics.
/// </summary>
public sealed class AllowedHostsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private Task<TestServer> StartAsync(string? yaml = null) => TestServer.StartAsync(
        Path.Combine(_dir.Path, "data"), yaml is null ? null : TestConfig.Load(_dir.Path, yaml), cancellationToken: Ct);

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestServer server, HttpMethod method, string path, string host)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Host = host;
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("[" + IntakeEvent.RefreshLinks("Rebinding") + "]", Encoding.UTF8, "application/json");
        }
        using var response = await server.Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AnotherHost_IsRefused400_OnEveryEndpoint_AndNothingIsAppended()
    {
        await using var server = await StartAsync();

        var (status, body) = await SendAsync(server, HttpMethod.Post, "v1/events", "attacker.example");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("host 'attacker.example' is not allowed: this server answers localhost, 127.0.0.1, [::1] (allow another in http.allowed_hosts)",
            JsonElement.Parse(body).GetProperty("error").GetString());
        Assert.Empty(await TopicReader.ReadAllAsync(server.Server.Log, "mediawiki.job.refreshLinks"));

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(server, HttpMethod.Get, "metrics", "attacker.example:9464")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(server, HttpMethod.Get, "health/ready", "attacker.example")).Status);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("[::1]:80")]
    [InlineData("LOCALHOST")]
    public async Task LoopbackNames_AreAllowed_WithAnyPort(string host)
    {
        await using var server = await StartAsync();

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(server, HttpMethod.Post, "v1/events", host)).Status);
    }

    [Fact]
    public async Task AConfiguredHost_IsAllowed_AndTheListReplacesTheDefault()
    {
        await using var server = await StartAsync("http:\n  allowed_hosts: [courier.internal, \"*.jobs.example\"]\n");

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(server, HttpMethod.Post, "v1/events", "courier.internal:9464")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, HttpMethod.Get, "health/ready", "eqiad.jobs.example")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(server, HttpMethod.Get, "health/ready", "localhost")).Status);
        Assert.Single(await TopicReader.ReadAllAsync(server.Server.Log, "mediawiki.job.refreshLinks"));
    }
}

using System.Text;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// Both hosts set Kestrel's limits themselves (defaults in docs/operations.md, "HTTP limits"), the configuration's
/// <c>http</c> section overrides them, and a body that stalls half-way is answered 408 and its connection closed at
/// the body read timeout, however fast its first bytes came.
/// </summary>
public sealed class HttpLimitsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private CourierConfig Config(string yaml) => TestConfig.Load(_dir.Path, yaml);

    private CourierServer Server(CourierConfig? config = null) => CourierServer.Create(new CourierServerOptions
    {
        Data = new CourierDataDirectory(Path.Combine(_dir.Path, "server")),
        MetricsPort = 0,
        Config = config,
        ConfigureLogging = _ => { },
    });

    private static readonly RunnerKey RunnerKey = new("test", "test-secret-0123456789abcdef");

    private CourierRunnerHost Runner(CourierConfig? config = null) => CourierRunnerHost.Create(new CourierRunnerHostOptions
    {
        Data = new CourierDataDirectory(Path.Combine(_dir.Path, "runner")),
        Port = 0,
        Keys = [RunnerKey],
        Config = config,
        ConfigureLogging = _ => { },
    });

    private static KestrelServerLimits Limits(IServiceProvider services) =>
        services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

    [Fact]
    public async Task BothHosts_SetKestrelsLimits_ToCouriersDefaults()
    {
        await using var server = Server();
        await using var runner = Runner();

        foreach (var (limits, connections) in new[] { (Limits(server.Services), 256L), (Limits(runner.Services), 1024L) })
        {
            Assert.Equal(connections, limits.MaxConcurrentConnections);
            Assert.Equal(0, limits.MaxConcurrentUpgradedConnections);
            Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
            Assert.Equal(TimeSpan.FromSeconds(75), limits.KeepAliveTimeout);
            Assert.Equal(64, limits.MaxRequestHeaderCount);
            Assert.Equal(16 * 1024, limits.MaxRequestHeadersTotalSize);
        }
    }

    [Fact]
    public async Task TheHttpSection_OverridesTheLimits_OnBothHosts()
    {
        var config = Config("""
            http:
              max_connections: 7
              max_upgraded_connections: 1
              request_headers_timeout: 3s
              keep_alive_timeout: 2m
              max_request_headers: 20
              max_request_header_bytes: 4096
            """);
        await using var server = Server(config);
        await using var runner = Runner(config);

        foreach (var limits in new[] { Limits(server.Services), Limits(runner.Services) })
        {
            Assert.Equal(7, limits.MaxConcurrentConnections);
            Assert.Equal(1, limits.MaxConcurrentUpgradedConnections);
            Assert.Equal(TimeSpan.FromSeconds(3), limits.RequestHeadersTimeout);
            Assert.Equal(TimeSpan.FromMinutes(2), limits.KeepAliveTimeout);
            Assert.Equal(20, limits.MaxRequestHeaderCount);
            Assert.Equal(4096, limits.MaxRequestHeadersTotalSize);
        }
    }

    [Fact]
    public void TheHttpSection_RefusesAWrongValue_NamingTheKey()
    {
        var e = Assert.Throws<CourierConfigException>(() => Config("http:\n  body_read_timeout: soon\n"));
        Assert.Contains("http.body_read_timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Intake_AnswersABodyThatStalls408_AndClosesTheConnection_AtTheBodyReadTimeout()
    {
        await using var server = Server(Config("http:\n  body_read_timeout: 1s\n"));
        await server.StartAsync(Ct);

        // 64 KiB at once: Kestrel's average data rate (240 bytes/s) would keep this request open for over four minutes.
        var sent = Encoding.ASCII.GetBytes("[" + new string(' ', 64 * 1024));
        var answer = await RawHttp.PostAndStallAsync(new Uri(server.BaseUrl!, "v1/events"), "application/json", 1_000_000, sent, Ct);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("the request body did not arrive within 1 s: nothing was appended", answer, StringComparison.Ordinal);
        await server.StopAsync(Ct);
    }

    [Fact]
    public async Task Runner_AnswersABodyThatStalls408_AndClosesTheConnection_AtTheBodyReadTimeout()
    {
        await using var runner = Runner(Config("http:\n  body_read_timeout: 1s\n"));
        await runner.StartAsync(Ct);

        // Signed, so the runner gets past its header checks and starts reading the body (the signature covers the
        // whole declared body, which never arrives).
        var sent = Encoding.ASCII.GetBytes("{" + new string(' ', 64 * 1024));
        using var signing = new HttpRequestMessage(HttpMethod.Post, runner.RunnerUrl);
        RunnerRequestSigner.Sign(signing, RunnerKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), new byte[1_000_000]);
        var headers = signing.Headers.NonValidated.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()));
        var answer = await RawHttp.PostAndStallAsync(runner.RunnerUrl!, "application/json", 1_000_000, sent, Ct, headers);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"error_class\":\"retryable\"", answer, StringComparison.Ordinal);
        await runner.StopAsync(Ct);
    }
}

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Runner.Tests.Support;

/// <summary>
/// A runner in a real Kestrel on 127.0.0.1 (a free port), with the test handlers, captured logs and metrics, and an
/// <see cref="HttpClient"/> that signs requests as a dispatcher would.
/// </summary>
public sealed class TestRunner : IAsyncDisposable
{
    public static readonly RunnerKey Key = new("k1", "test-secret-0123456789abcdef");

    private readonly WebApplication _app;

    private TestRunner(WebApplication app, LogCapture logs, MetricsRecorder metrics, TestHandler handler, Uri baseUrl, TimeProvider time)
    {
        _app = app;
        Time = time;
        Logs = logs;
        Metrics = metrics;
        Handler = handler;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public LogCapture Logs { get; }

    public MetricsRecorder Metrics { get; }

    public TestHandler Handler { get; }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The runner's clock (a test's fixed clock, or the system's); requests are signed at its now by default.</summary>
    public TimeProvider Time { get; }

    public static async Task<TestRunner> StartAsync(Action<CourierRunnerOptions>? configure = null, bool addKey = true, bool handlers = true,
        Action<CourierBuilder>? configureCourier = null, TimeProvider? time = null, Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (time is not null)
        {
            // Before AddCourierRunner, whose AddCourier only adds the system clock when none is registered.
            builder.Services.AddSingleton(time);
        }
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var logs = new LogCapture();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        var handler = new TestHandler();
        var courier = builder.Services.AddCourierRunner(o =>
        {
            if (addKey)
            {
                o.Keys.Add(Key);
            }
            configure?.Invoke(o);
        });
        if (handlers)
        {
            courier.AddHandler<TestParams>(TestJobs.Type, handler);
        }
        configureCourier?.Invoke(courier);
        var app = builder.Build();
        configureApp?.Invoke(app);
        app.MapCourierRunner();
        app.MapCourierRunnerHealth();
        var metrics = new MetricsRecorder(app.Services.GetRequiredService<IMeterFactory>());
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            metrics.Dispose();
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestRunner(app, logs, metrics, handler, new Uri(address), time ?? TimeProvider.System);
    }

    /// <summary>POSTs a body to the runner, signed with <paramref name="key"/> at <paramref name="signedAt"/> (the runner's now when null) unless <paramref name="sign"/> is false.</summary>
    public Task<HttpResponseMessage> PostAsync(byte[] body, RunnerKey? key = null, DateTimeOffset? signedAt = null, bool sign = true,
        int? attempt = 1, long? timeoutMs = null, string contentType = "application/json") =>
        SendAsync(Request(body, key, signedAt, sign, attempt?.ToString(CultureInfo.InvariantCulture), timeoutMs?.ToString(CultureInfo.InvariantCulture), contentType));

    /// <summary>
    /// A POST of <paramref name="body"/> to this runner, signed v2 as a dispatcher signs (unless <paramref name="sign"/>
    /// is false) after the attempt and timeout headers are set. The same <paramref name="nonce"/> and time give the same
    /// signature (a replay); <paramref name="signedFor"/> signs it for another runner's address than the one it goes to.
    /// </summary>
    public HttpRequestMessage Request(byte[] body, RunnerKey? key = null, DateTimeOffset? signedAt = null, bool sign = true,
        string? attempt = "1", string? timeoutMs = null, string contentType = "application/json", string? nonce = null, Uri? signedFor = null,
        bool probe = false)
    {
        var target = new Uri(BaseUrl, RunnerProtocol.DefaultPath);
        var request = new HttpRequestMessage(HttpMethod.Post, signedFor is null ? target : new Uri(signedFor, RunnerProtocol.DefaultPath))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (attempt is not null)
        {
            request.Headers.Add(RunnerProtocol.AttemptHeader, attempt);
        }
        if (timeoutMs is not null)
        {
            request.Headers.Add(RunnerProtocol.TimeoutHeader, timeoutMs);
        }
        if (probe)
        {
            request.Headers.Add(RunnerProtocol.ProbeHeader, "1");
        }
        if (sign)
        {
            RunnerRequestSigner.Sign(request, key ?? Key, (signedAt ?? Time.GetUtcNow()).ToUnixTimeSeconds(), body, nonce);
        }
        request.RequestUri = target;
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Client.SendAsync(request, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Handler.ReleaseAll();
        Client.Dispose();
        Metrics.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

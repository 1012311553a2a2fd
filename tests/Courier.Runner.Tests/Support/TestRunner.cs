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

    private TestRunner(WebApplication app, LogCapture logs, MetricsRecorder metrics, TestHandler handler, Uri baseUrl)
    {
        _app = app;
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

    public static async Task<TestRunner> StartAsync(Action<CourierRunnerOptions>? configure = null, bool addKey = true, bool handlers = true,
        Action<CourierBuilder>? configureCourier = null, TimeProvider? time = null)
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
        return new TestRunner(app, logs, metrics, handler, new Uri(address));
    }

    /// <summary>POSTs a body to the runner, signed with <paramref name="key"/> at <paramref name="signedAt"/> (now when null) unless <paramref name="sign"/> is false.</summary>
    public Task<HttpResponseMessage> PostAsync(byte[] body, RunnerKey? key = null, DateTimeOffset? signedAt = null, bool sign = true,
        int? attempt = 1, long? timeoutMs = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, RunnerProtocol.DefaultPath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (sign)
        {
            key ??= Key;
            var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            request.Headers.Add(RunnerProtocol.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(RunnerProtocol.KeyIdHeader, key.Id);
            request.Headers.Add(RunnerProtocol.SignatureHeader, RunnerSignature.Compute(key.Secret, timestamp, body));
        }
        if (attempt is { } a)
        {
            request.Headers.Add(RunnerProtocol.AttemptHeader, a.ToString(CultureInfo.InvariantCulture));
        }
        if (timeoutMs is { } t)
        {
            request.Headers.Add(RunnerProtocol.TimeoutHeader, t.ToString(CultureInfo.InvariantCulture));
        }
        return SendAsync(request);
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

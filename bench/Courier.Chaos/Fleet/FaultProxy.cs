using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Courier.Chaos.Fleet;

/// <summary>
/// A loopback HTTP proxy in front of one runner, which the dispatchers' pool URL names: it passes requests through
/// byte for byte (the signature covers them), and on the schedule's word answers every request 503 (a storm) or
/// holds it past the rule's timeout (a slow runner). While its runner is down (killed) it resets the connection, as
/// the runner's own port would.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Content-Length", "Content-Type",
    };

    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
    private readonly WebApplication _app;
    private volatile Uri? _upstream;
    private volatile ProxyMode _mode = ProxyMode.Pass;

    private FaultProxy(WebApplication app) => _app = app;

    /// <summary>The URL the dispatchers' pool names.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Requests answered 503 by a storm, and requests held by a slow spell.</summary>
    public long Stormed => Interlocked.Read(ref _stormed);

    /// <summary>Requests held past the timeout.</summary>
    public long Held => Interlocked.Read(ref _held);

    private long _stormed;
    private long _held;

    public static async Task<FaultProxy> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MinRequestBodyDataRate = null;
        });
        var app = builder.Build();
        var proxy = new FaultProxy(app);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken);
        proxy.Url = new Uri(app.Urls.Single());
        return proxy;
    }

    /// <summary>Points the proxy at a runner's base URL (null while the runner is down).</summary>
    public void SetUpstream(Uri? upstream) => _upstream = upstream;

    /// <summary>Switches the fault mode.</summary>
    public void SetMode(ProxyMode mode) => _mode = mode;

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        switch (_mode)
        {
            case ProxyMode.Storm:
                Interlocked.Increment(ref _stormed);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("chaos: runner 503 storm", aborted);
                return;
            case ProxyMode.Slow:
                Interlocked.Increment(ref _held);
                try
                {
                    await Task.Delay(ChaosRules.SlowHold, aborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                break;
        }
        if (_upstream is not { } upstream)
        {
            context.Abort();
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(upstream, context.Request.Path + context.Request.QueryString));
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, aborted);
        request.Content = new ByteArrayContent(body.ToArray());
        if (context.Request.ContentType is { } contentType)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        // The signature covers the Host the dispatcher sent (the proxy's), so it goes through unchanged.
        request.Headers.Host = context.Request.Host.Value;
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopHeaders.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, aborted);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // The runner is gone (killed mid-request, or not back yet): so is the connection, as with no proxy.
            context.Abort();
            return;
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopHeaders.Contains(name) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }
            await response.Content.CopyToAsync(context.Response.Body, aborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}

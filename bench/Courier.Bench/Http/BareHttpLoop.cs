using System.Globalization;
using System.Net;

namespace Courier.Bench.Http;

/// <summary>
/// The bare loop's client: <c>concurrency</c> tasks POSTing the job events to <see cref="BareRunnerEndpoint"/>, each
/// request built, signed and sent as Courier's runner pool sends a job (<see cref="HttpRunnerExecutor"/>): the same
/// <see cref="SocketsHttpHandler"/> settings (the pool's defaults for connect timeout and connection lifetime,
/// connections per runner, no redirects, cookies, proxy or decompression), the same headers, a fresh v2 signature per
/// request through <see cref="RunnerRequestSigner"/>. No log, no dispatcher: the events are in memory, and a request
/// counts when its 200 has been read.
/// </summary>
internal sealed class BareHttpLoop : IDisposable
{
    private static readonly string UserAgent = "Courier/" +
        (typeof(HttpRunnerExecutor).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpMessageInvoker _http;
    private readonly Uri _url;
    private readonly bool _h2c;
    private readonly RunnerKey _key;
    private readonly string _timeoutMs;

    /// <param name="runner">The runner process's base URL (HTTP/1.1 listener, or its HTTP/2-only listener for h2c).</param>
    /// <param name="h2c">HTTP/2 over cleartext with prior knowledge instead of HTTP/1.1.</param>
    /// <param name="connections">Connections kept to the runner (HTTP/1.1: one per request in flight).</param>
    /// <param name="key">The key the pool signs with.</param>
    /// <param name="timeout">The rule's timeout, sent in <see cref="RunnerProtocol.TimeoutHeader"/>.</param>
    public BareHttpLoop(Uri runner, bool h2c, int connections, RunnerKey key, TimeSpan timeout)
    {
        // The runner pool's own client settings, so the comparison is like for like.
        var handler = HttpRunnerExecutor.CreateHandler(new RunnerPoolOptions { Name = "bare" }, connections);
        // Kestrel allows 100 streams per HTTP/2 connection; more requests in flight open another connection.
        handler.EnableMultipleHttp2Connections = true;
        _http = new HttpMessageInvoker(handler, disposeHandler: true);
        _url = new Uri(runner, BareRunnerEndpoint.Path);
        _h2c = h2c;
        _key = key;
        _timeoutMs = ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sends every event once, <paramref name="concurrency"/> at a time; returns the requests answered 200.</summary>
    public async Task<long> RunAsync(IReadOnlyList<byte[]> events, int concurrency, CancellationToken cancellationToken)
    {
        var next = -1;
        long answered = 0;
        long refused = 0;
        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < events.Count)
            {
                if (await SendAsync(events[index], cancellationToken).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref answered);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        if (refused > 0)
        {
            throw new InvalidOperationException($"the bare endpoint refused {refused} of {events.Count} requests");
        }
        return answered;
    }

    public void Dispose() => _http.Dispose();

    private async Task<bool> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Version = _h2c ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = _h2c ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", RunnerProtocol.ContentType);
        request.Content = content;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation(RunnerProtocol.AttemptHeader, "1");
        request.Headers.TryAddWithoutValidation(RunnerProtocol.TimeoutHeader, _timeoutMs);
        RunnerRequestSigner.Sign(request, _key, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK;
    }
}

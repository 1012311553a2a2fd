using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Courier.Runners;
using Microsoft.Extensions.Logging;

namespace Courier;

/// <summary>
/// Runs jobs on a pool of HTTP runners (docs/runners.md): POSTs each job event, byte for byte as it is in the log,
/// to one runner of the pool and maps the answer to a <see cref="JobResult"/>. One instance per pool; it keeps a
/// keep-alive connection pool for the whole dispatcher, never a client per job.
/// </summary>
/// <remarks>
/// Runners are taken round-robin. When a runner cannot be connected to (refused, unreachable, connect timeout),
/// nothing was sent, so the job goes to the next runner at once and the failed one is skipped for a few seconds;
/// once a request has gone out, a failure is the job's (retryable), since the runner may have started it.
/// The dispatcher's token ends the request at the rule's timeout.
/// </remarks>
public sealed class HttpRunnerExecutor : IJobExecutor, IDisposable
{
    /// <summary>How long a runner that refused a connection is passed over when another one is up.</summary>
    private static readonly TimeSpan DownCooldown = TimeSpan.FromSeconds(5);

    private static readonly string UserAgent = "Courier/" +
        (typeof(HttpRunnerExecutor).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly HttpMessageInvoker _http;
    private readonly Uri[] _endpoints;
    private readonly string[] _endpointNames;
    private readonly long[] _downUntil;
    private readonly RunnerMode _mode;
    private readonly RunnerKey? _key;
    private readonly TimeSpan _retryAfterDefault;
    private readonly TimeSpan _executionLimit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly X509Certificate2Collection? _pinnedCa;
    private readonly ConcurrentDictionary<string, bool> _limitWarned = new(StringComparer.Ordinal);
    private readonly RunnerResponseCount _responses;
    private readonly string? _release;
    private int _next = -1;

    /// <summary>
    /// Creates the executor of <paramref name="pool"/> (validated; its values are copied). Connections per runner are
    /// limited by <see cref="RunnerPoolOptions.MaxConnections"/> (none when null). The signing key is the pool's, else
    /// the first of <c>COURIER_RUNNER_KEYS</c>; a Courier-mode pool without either throws <see cref="InvalidOperationException"/>.
    /// With <paramref name="telemetry"/>, every answer is counted in <see cref="CourierTelemetry.RunnerResponses"/>.
    /// </summary>
    public HttpRunnerExecutor(RunnerPoolOptions pool, TimeProvider timeProvider, ILogger logger, CourierTelemetry? telemetry = null)
        : this(Validated(pool), pool.MaxConnections ?? int.MaxValue, timeProvider, logger, Environment.GetEnvironmentVariable, telemetry)
    {
    }

    private static RunnerPoolOptions Validated(RunnerPoolOptions pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        pool.Validate();
        return pool;
    }

    /// <summary>The executor of a pool of options the dispatcher has validated (<see cref="DispatcherOptions.Validate"/>).</summary>
    internal HttpRunnerExecutor(RunnerPoolOptions pool, int connectionsPerRunner, TimeProvider timeProvider, ILogger logger,
        Func<string, string?> environment, CourierTelemetry? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(connectionsPerRunner, 1);
        Name = pool.Name;
        _responses = new RunnerResponseCount(telemetry, pool.Name);
        _mode = pool.Mode;
        _release = pool.Release;
        _key = pool.ResolveSigningKey(environment);
        _endpoints = [.. pool.Endpoints()];
        _endpointNames = [.. _endpoints.Select(e => e.ToString())];
        _downUntil = new long[_endpoints.Length];
        _retryAfterDefault = pool.RetryAfterDefault;
        _executionLimit = pool.ExecutionLimit;
        _time = timeProvider;
        _logger = logger;
        _pinnedCa = pool.CaFile is null ? null : pool.LoadCa();
        var handler = CreateHandler(pool, connectionsPerRunner);
        if (_pinnedCa is not null)
        {
            // Certificates are validated as usual (chain, dates, host name), with the pool's CA as the only root.
            handler.SslOptions.CertificateChainPolicy = PinnedCa.ChainPolicy(_pinnedCa);
        }
        _http = new HttpMessageInvoker(handler, disposeHandler: true);
        ConnectionsPerRunner = connectionsPerRunner;
        HttpRunnerLog.PoolCreated(logger, Name, _mode.ToString(), string.Join(", ", _endpointNames),
            connectionsPerRunner == int.MaxValue ? "unlimited" : connectionsPerRunner.ToString(CultureInfo.InvariantCulture),
            _key?.Id ?? "(none: unsigned)");
    }

    /// <summary>
    /// The HTTP client settings a runner pool talks to its runners with (the pool's CA pinning comes on top). The one
    /// place they are written: the bench's bare HTTP loop takes them from here to be compared like for like.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(RunnerPoolOptions pool, int connectionsPerRunner) => new()
    {
        MaxConnectionsPerServer = connectionsPerRunner,
        PooledConnectionLifetime = pool.PooledConnectionLifetime,
        ConnectTimeout = pool.ConnectTimeout,
        // The original did not follow redirects either: a redirect is a misconfigured URL, answered as permanent.
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        // Dispatchers talk to their runners directly: proxy variables meant for outbound traffic must not reroute jobs.
        UseProxy = false,
    };

    /// <summary>The pool's name.</summary>
    public string Name { get; }

    /// <summary>The URLs jobs are POSTed to, in round-robin order.</summary>
    public IReadOnlyList<Uri> Endpoints => _endpoints;

    /// <summary>Most connections kept to each runner.</summary>
    public int ConnectionsPerRunner { get; }

    /// <inheritdoc />
    public async ValueTask<JobResult> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var index = PickEndpoint();
        string? skipped = null;
        while (true)
        {
            try
            {
                return await SendAsync(index, execution, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return JobResult.Retry(Prefix(skipped) + $"runner {_endpointNames[index]}: no answer within {Seconds(execution.Context.Timeout)}, the rule's timeout");
            }
            catch (Exception e) when (IsConnectFailure(e, cancellationToken))
            {
                MarkDown(index);
                var reason = $"runner {_endpointNames[index]}: cannot connect: {Innermost(e)}";
                if (skipped is not null || _endpoints.Length == 1)
                {
                    return JobResult.Retry(Prefix(skipped) + reason);
                }
                var next = NextEndpoint(index);
                HttpRunnerLog.FailedOver(_logger, Name, _endpointNames[index], Innermost(e), execution.Event.Meta.Id, execution.Event.Type, _endpointNames[next]);
                skipped = reason;
                index = next;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                // The request may have reached the runner: the job's outcome is unknown, so it is retried by the rule.
                return JobResult.Retry(Prefix(skipped) + $"runner {_endpointNames[index]}: {Describe(e)}");
            }
        }
    }

    private async Task<JobResult> SendAsync(int index, JobExecution execution, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoints[index])
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var content = new ReadOnlyMemoryContent(execution.RawEvent);
        content.Headers.TryAddWithoutValidation("Content-Type", RunnerProtocol.ContentType);
        request.Content = content;
        var headers = request.Headers;
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        headers.TryAddWithoutValidation(RunnerProtocol.AttemptHeader, execution.Context.Attempt.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(RunnerProtocol.TimeoutHeader,
            ((long)execution.Context.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (execution.Context.IsProbe)
        {
            headers.TryAddWithoutValidation(RunnerProtocol.ProbeHeader, "1");
        }
        if (_key is not null)
        {
            // Signed last, over the headers above, and afresh for every request (each attempt, each runner tried).
            RunnerRequestSigner.Sign(request, _key, _time.GetUtcNow().ToUnixTimeSeconds(), execution.RawEvent.Span);
        }
        if (execution.Event.Meta.RequestId is { Length: > 0 } requestId)
        {
            // As the original did (x-request-id from meta.request_id), so a job can be followed into the runner's logs.
            headers.TryAddWithoutValidation("X-Request-Id", requestId);
        }

        using var response = await _responses.SendAsync(_http, request, execution.Event.Type, cancellationToken).ConfigureAwait(false);
        CheckExecutionLimit(response, index, execution);
        var release = AnnouncedRelease(response) ?? _release;
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            // The body is not needed; disposing the response drains it for connection reuse.
            return JobResult.Success with { Release = release };
        }
        var retryAfter = RunnerResponses.RetryAfter(response.Headers.RetryAfter, _time.GetUtcNow(), _retryAfterDefault);
        var buffer = ArrayPool<byte>.Shared.Rent(RunnerResponses.MaxBodyBytes);
        try
        {
            var length = await ReadBoundedAsync(response.Content, buffer, cancellationToken).ConfigureAwait(false);
            var body = buffer.AsSpan(0, length);
            var result = _mode == RunnerMode.MediaWiki
                ? RunnerResponses.MediaWiki(_endpointNames[index], status, response.ReasonPhrase, IsReadOnly(response), body, retryAfter)
                : RunnerResponses.Courier(_endpointNames[index], status, response.ReasonPhrase, body, retryAfter);
            return result with { Release = release };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads at most <see cref="RunnerResponses.MaxBodyBytes"/> of the body; the rest is never buffered.</summary>
    private static async Task<int> ReadBoundedAsync(HttpContent content, byte[] buffer, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var length = 0;
        while (length < RunnerResponses.MaxBodyBytes)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length, RunnerResponses.MaxBodyBytes - length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        return length;
    }

    /// <summary>The release a runner named in <see cref="RunnerProtocol.ReleaseHeader"/>; null when it sent none (MediaWiki).</summary>
    private static string? AnnouncedRelease(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(RunnerProtocol.ReleaseHeader, out var values)
        && values.FirstOrDefault()?.Trim() is { Length: > 0 } release ? release : null;

    private static bool IsReadOnly(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(RunnerProtocol.ReadOnlyHeader, out var values)
        && values.Any(v => string.Equals(v.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Warns once per job type when a runner's own limit is not shorter than the type's timeout.</summary>
    private void CheckExecutionLimit(HttpResponseMessage response, int index, JobExecution execution)
    {
        if (!response.Headers.NonValidated.TryGetValues(RunnerProtocol.ExecutionLimitHeader, out var values))
        {
            return;
        }
        foreach (var value in values)
        {
            var timeoutMs = (long)execution.Context.Timeout.TotalMilliseconds;
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limitMs) && limitMs >= timeoutMs
                && _limitWarned.TryAdd(execution.Event.Type, true))
            {
                HttpRunnerLog.ExecutionLimitTooLong(_logger, Name, _endpointNames[index], limitMs, timeoutMs, execution.Event.Type,
                    (long)_executionLimit.TotalMilliseconds);
            }
            return;
        }
    }

    private int PickEndpoint()
    {
        var count = _endpoints.Length;
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
        if (count == 1)
        {
            return 0;
        }
        var now = _time.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var candidate = (start + i) % count;
            if (Volatile.Read(ref _downUntil[candidate]) <= now)
            {
                return candidate;
            }
        }
        return start; // all down: try anyway, the failure is the job's answer
    }

    private int NextEndpoint(int failed)
    {
        var now = _time.GetTimestamp();
        for (var i = 1; i < _endpoints.Length; i++)
        {
            var candidate = (failed + i) % _endpoints.Length;
            if (Volatile.Read(ref _downUntil[candidate]) <= now)
            {
                return candidate;
            }
        }
        return (failed + 1) % _endpoints.Length;
    }

    private void MarkDown(int index) =>
        Volatile.Write(ref _downUntil[index], _time.GetTimestamp() + (long)(DownCooldown.TotalSeconds * _time.TimestampFrequency));

    /// <summary>
    /// True when the request never left: the connection could not be opened (refused, unreachable, no such host,
    /// connect timeout, TLS handshake refused, say an untrusted certificate). Such a job can go to another runner
    /// without any chance of running twice.
    /// </summary>
    private static bool IsConnectFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError } => true,
        // SocketsHttpHandler reports its ConnectTimeout as a cancellation caused by a TimeoutException.
        OperationCanceledException { InnerException: TimeoutException } when !cancellationToken.IsCancellationRequested => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } =>
            "the connection closed before a complete answer (the runner may have stopped mid-job): " + Innermost(e),
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "invalid HTTP answer: " + Innermost(e),
        _ => Innermost(e),
    };

    private static string Innermost(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = inner.Message;
        }
        return message;
    }

    private static string Prefix(string? skipped) => skipped is null ? "" : skipped + "; then ";

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        foreach (var certificate in _pinnedCa ?? [])
        {
            certificate.Dispose();
        }
    }
}

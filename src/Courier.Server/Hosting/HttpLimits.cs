using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Courier.Server.Hosting;

/// <summary>
/// Limits of a host's HTTP server (Kestrel), set explicitly on the dispatcher service and the runner service alike
/// rather than left to Kestrel's defaults; the configuration's <c>http</c> section overrides them (docs/operations.md,
/// "HTTP limits").
/// </summary>
public sealed record HttpLimits
{
    /// <summary>Most open connections (default 256 on the dispatcher service, 1024 on a runner); further ones are closed as they come in (Kestrel logs each).</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Most upgraded connections (WebSockets); default 0, as no endpoint upgrades.</summary>
    public int MaxUpgradedConnections { get; init; }

    /// <summary>Time a client has to send all of a request's headers (default 10 s; Kestrel's is 30 s).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time a request body may take from the endpoint's first read to its last byte (default 30 s: 10 MiB at 350 KB/s);
    /// later, the request is answered 408 and its connection closed. Kestrel's minimum data rate (240 bytes/s) is an
    /// average, which a client that sends fast and then stalls meets for minutes.
    /// </summary>
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an idle keep-alive connection stays open (default 75 s): longer than .NET's client idle timeout (60 s),
    /// so a dispatcher never sends on a connection its runner is closing.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Most headers in one request (default 64; Kestrel's is 100).</summary>
    public int MaxRequestHeaders { get; init; } = 64;

    /// <summary>Most bytes of all of a request's headers together (default 16 KiB; Kestrel's is 32 KiB).</summary>
    public int MaxRequestHeaderBytes { get; init; } = 16 * 1024;

    /// <summary>Throws when a limit is out of range, naming it.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxUpgradedConnections);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestHeadersTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BodyReadTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(KeepAliveTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestHeaders, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestHeaderBytes, 1024);
    }

    internal void ApplyTo(KestrelServerLimits limits)
    {
        limits.MaxConcurrentConnections = MaxConnections;
        limits.MaxConcurrentUpgradedConnections = MaxUpgradedConnections;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MaxRequestHeaderCount = MaxRequestHeaders;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeaderBytes;
    }
}

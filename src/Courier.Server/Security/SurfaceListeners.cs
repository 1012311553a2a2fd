using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Courier.Server.Security;

/// <summary>
/// The Kestrel endpoints of the dispatcher service and the surfaces each serves. Surfaces whose addresses are equal
/// share one endpoint; a surface given port 0 gets a free port of its own (those left to the default share it). A
/// request's surface is told by the local address and port its connection arrived on.
/// </summary>
internal sealed class SurfaceListeners
{
    private readonly List<Listener> _listeners = [];

    /// <summary>Plans the endpoints: each surface at its address in <paramref name="addresses"/>, else at <paramref name="fallback"/>.</summary>
    public SurfaceListeners(ListenAddress fallback, IReadOnlyDictionary<HttpSurface, ListenAddress> addresses)
    {
        foreach (var surface in Enum.GetValues<HttpSurface>())
        {
            var given = addresses.TryGetValue(surface, out var address);
            address ??= fallback;
            var shared = _listeners.FirstOrDefault(l => l.Address == address && (address.Port != 0 || !given && l.IsFallback));
            if (shared is null)
            {
                shared = new Listener(address, IsFallback: !given);
                _listeners.Add(shared);
            }
            shared.Surfaces.Add(surface);
        }
    }

    /// <summary>The address each surface listens on, as configured.</summary>
    public IEnumerable<(HttpSurface Surface, ListenAddress Address)> Addresses =>
        _listeners.SelectMany(l => l.Surfaces.Select(s => (s, l.Address)));

    /// <summary>Whether any endpoint is served over TLS.</summary>
    public bool AnyHttps => _listeners.Any(l => l.Address.Https);

    /// <summary>Adds the endpoints to Kestrel; <paramref name="certificate"/> serves the https ones.</summary>
    public void Configure(KestrelServerOptions kestrel, X509Certificate2? certificate)
    {
        foreach (var listener in _listeners)
        {
            void Endpoint(ListenOptions options)
            {
                listener.Options = options;
                if (listener.Address.Https)
                {
                    options.UseHttps(certificate ?? throw new InvalidOperationException($"{listener.Address} is https:// but no certificate is given"));
                }
            }
            var address = listener.Address;
            if (address.Address is null)
            {
                kestrel.ListenLocalhost(address.Port, Endpoint);
            }
            else if (address.Host == "*")
            {
                kestrel.ListenAnyIP(address.Port, Endpoint);
            }
            else
            {
                kestrel.Listen(address.Address, address.Port, Endpoint);
            }
        }
    }

    /// <summary>The URL a client on this machine reaches <paramref name="surface"/> at, once started (e.g. <c>http://127.0.0.1:9464/</c>).</summary>
    public Uri? UrlOf(HttpSurface surface)
    {
        var listener = _listeners.First(l => l.Surfaces.Contains(surface));
        if (BoundPort(listener) is not { } port)
        {
            return null;
        }
        return listener.Address.LocalUrl(port);
    }

    /// <summary>Whether the connection of a request arrived on an endpoint that serves <paramref name="surface"/>.</summary>
    public bool Serves(ConnectionInfo connection, HttpSurface surface)
    {
        foreach (var listener in _listeners)
        {
            if (listener.Surfaces.Contains(surface) && BoundPort(listener) == connection.LocalPort && Matches(listener.Address, connection.LocalIpAddress))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(ListenAddress address, IPAddress? local)
    {
        if (local is null)
        {
            return false;
        }
        var ip = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
        return address.Address switch
        {
            null => IPAddress.IsLoopback(ip),
            _ when address.Host == "*" || address.Address.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any) => true,
            _ => address.Address.Equals(ip),
        };
    }

    /// <summary>The port Kestrel bound (the real one when 0 was asked for); null before start.</summary>
    private static int? BoundPort(Listener listener) =>
        listener.Address.Port != 0 ? listener.Address.Port
        : listener.Options?.IPEndPoint is { Port: > 0 } bound ? bound.Port
        : null;

    private sealed record Listener(ListenAddress Address, bool IsFallback)
    {
        public HashSet<HttpSurface> Surfaces { get; } = [];

        public ListenOptions? Options { get; set; }
    }
}

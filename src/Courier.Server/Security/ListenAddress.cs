using System.Globalization;
using System.Net;

namespace Courier.Server.Security;

/// <summary>
/// Where an HTTP surface listens: <c>host:port</c> or <c>http(s)://host:port</c>, the host an IP address
/// (<c>127.0.0.1</c>, <c>[::1]</c>, <c>0.0.0.0</c>, <c>[::]</c>), <c>*</c> (every address) or <c>localhost</c>. Port 0
/// picks a free port.
/// </summary>
/// <param name="Https">Served over TLS (<c>https://</c>).</param>
/// <param name="Host">The host as written (without brackets).</param>
/// <param name="Address">The IP address; null for <c>localhost</c> (both loopback addresses).</param>
/// <param name="Port">The port.</param>
internal sealed record ListenAddress(bool Https, string Host, IPAddress? Address, int Port)
{
    /// <summary>Whether only this machine can connect (a loopback address or <c>localhost</c>).</summary>
    public bool IsLoopback => Address is null || IPAddress.IsLoopback(Address);

    /// <summary>The default address of every surface: 127.0.0.1 on <paramref name="port"/>.</summary>
    public static ListenAddress Loopback(int port) => new(false, "127.0.0.1", IPAddress.Loopback, port);

    /// <summary>Reads an address; an <see cref="ArgumentException"/> says what is wrong with it.</summary>
    public static ListenAddress Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        var https = false;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            https = text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (!https && !text.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"'{value}' must be host:port, http://host:port or https://host:port");
            }
            text = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        }
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > IPEndPoint.MaxPort)
        {
            throw new ArgumentException($"'{value}' must be host:port with a port from 0 to 65535 (e.g. 127.0.0.1:9464, https://0.0.0.0:9443)");
        }
        var host = text[..colon];
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        IPAddress? address;
        if (bare == "*")
        {
            address = IPAddress.IPv6Any;
        }
        else if (string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = null;
        }
        else if (!IPAddress.TryParse(bare, out address))
        {
            throw new ArgumentException($"'{value}': the host must be an IP address, * or localhost (a name would bind whatever it resolves to), got '{host}'");
        }
        return new ListenAddress(https, bare, address, port);
    }

    /// <summary>
    /// The URL a client on this machine reaches this address at, on <paramref name="boundPort"/> (the real port when 0
    /// was asked for): every address (<c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) by the loopback one.
    /// </summary>
    public Uri LocalUrl(int boundPort)
    {
        var host = Address switch
        {
            null => "localhost",
            _ when Host == "*" || Address.Equals(IPAddress.Any) => "127.0.0.1",
            _ when Address.Equals(IPAddress.IPv6Any) => "[::1]",
            { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"[{Address}]",
            _ => Address.ToString(),
        };
        return new Uri($"{(Https ? "https" : "http")}://{host}:{boundPort.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>As written in configuration: <c>127.0.0.1:9464</c>, <c>https://[::1]:9443</c>.</summary>
    public override string ToString()
    {
        var host = Host != "*" && Address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ? $"[{Host}]" : Host;
        return (Https ? "https://" : "") + host + ":" + Port.ToString(CultureInfo.InvariantCulture);
    }
}

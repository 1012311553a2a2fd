using System.Buffers;

namespace Courier.Server;

/// <summary>The <c>http</c> and <c>intake</c> sections: the HTTP server's limits, allowed host names, intake limits.</summary>
internal sealed partial class ConfigReader
{
    private static readonly SearchValues<char> NotInHostNames = SearchValues.Create(" /\\@?#");

    private HttpConfig Http(ConfigSection node)
    {
        List<string>? allowedHosts = null;
        int? maxConnections = null, maxUpgraded = null, maxHeaders = null, maxHeaderBytes = null;
        TimeSpan? headersTimeout = null, bodyTimeout = null, keepAlive = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "allowed_hosts": allowedHosts = value.IsNull ? null : HostNames(value); break;
                case "max_connections": maxConnections = Int(value, min: 1); break;
                case "max_upgraded_connections": maxUpgraded = Int(value, min: 0); break;
                case "request_headers_timeout": headersTimeout = Duration(value, allowZero: false); break;
                case "body_read_timeout": bodyTimeout = Duration(value, allowZero: false); break;
                case "keep_alive_timeout": keepAlive = Duration(value, allowZero: false); break;
                case "max_request_headers": maxHeaders = Int(value, min: 1); break;
                case "max_request_header_bytes": maxHeaderBytes = Int(value, min: 1024); break;
                default: throw Unknown(node, key, value);
            }
        }
        return new HttpConfig
        {
            AllowedHosts = allowedHosts,
            MaxConnections = maxConnections,
            MaxUpgradedConnections = maxUpgraded,
            RequestHeadersTimeout = headersTimeout,
            BodyReadTimeout = bodyTimeout,
            KeepAliveTimeout = keepAlive,
            MaxRequestHeaders = maxHeaders,
            MaxRequestHeaderBytes = maxHeaderBytes,
        };
    }

    /// <summary>Host names without scheme or port: <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>, <c>*.example.org</c>, <c>*</c>.</summary>
    private List<string> HostNames(ConfigSection node)
    {
        var items = List(node) ?? throw Error(node, $"must be a list of host names, got {node.Describe()}");
        var hosts = new List<string>();
        foreach (var item in items)
        {
            var host = NonEmptyString(item) ?? throw Error(item, "must not be empty");
            var bracketed = host.StartsWith('[') && host.EndsWith(']');
            if (host.AsSpan().ContainsAny(NotInHostNames) || (!bracketed && host.Contains(':', StringComparison.Ordinal)))
            {
                throw Error(item, $"'{host}' is not a host name (no scheme or port; an IPv6 address in brackets, e.g. [::1])");
            }
            hosts.Add(host);
        }
        return hosts;
    }

    private IntakeConfig Intake(ConfigSection node)
    {
        int? maxBodyBytes = null, maxEvents = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "max_body_bytes": maxBodyBytes = Int(value, min: 1); break;
                case "max_events": maxEvents = Int(value, min: 1); break;
                default: throw Unknown(node, key, value);
            }
        }
        return new IntakeConfig { MaxBodyBytes = maxBodyBytes, MaxEvents = maxEvents };
    }
}

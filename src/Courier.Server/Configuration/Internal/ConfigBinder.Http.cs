using System.Buffers;

namespace Courier.Server.Internal;

/// <summary>The <c>http</c> section: the HTTP server's limits and the host names the dispatcher service answers.</summary>
internal sealed partial class ConfigBinder
{
    private static readonly SearchValues<char> NotInHostNames = SearchValues.Create(" /\\@?#");

    private HttpConfig Http(ConfigNode node, string path)
    {
        List<string>? allowedHosts = null;
        int? maxConnections = null, maxUpgraded = null, maxHeaders = null, maxHeaderBytes = null;
        TimeSpan? headersTimeout = null, bodyTimeout = null, keepAlive = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "allowed_hosts": allowedHosts = IsNull(value) ? null : HostNames(value, child); break;
                case "max_connections": maxConnections = Int(value, child, min: 1); break;
                case "max_upgraded_connections": maxUpgraded = Int(value, child, min: 0); break;
                case "request_headers_timeout": headersTimeout = Duration(value, child, allowZero: false); break;
                case "body_read_timeout": bodyTimeout = Duration(value, child, allowZero: false); break;
                case "keep_alive_timeout": keepAlive = Duration(value, child, allowZero: false); break;
                case "max_request_headers": maxHeaders = Int(value, child, min: 1); break;
                case "max_request_header_bytes": maxHeaderBytes = Int(value, child, min: 1024); break;
                default: throw Unknown(path, key, value);
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
    private List<string> HostNames(ConfigNode node, string path)
    {
        if (node is not ConfigList list)
        {
            throw Error(path, $"must be a list of host names, got {node.Describe()}", node);
        }
        var hosts = new List<string>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = list.Items[i];
            var itemPath = $"{path}[{i}]";
            var host = NonEmptyString(item, itemPath)!;
            var bracketed = host.StartsWith('[') && host.EndsWith(']');
            if (host.AsSpan().ContainsAny(NotInHostNames) || (!bracketed && host.Contains(':', StringComparison.Ordinal)))
            {
                throw Error(itemPath, $"'{host}' is not a host name (no scheme or port; an IPv6 address in brackets, e.g. [::1])", item);
            }
            hosts.Add(host);
        }
        return hosts;
    }
}

namespace Courier.Server.Internal;

/// <summary>The <c>http</c> section: the HTTP server's limits.</summary>
internal sealed partial class ConfigBinder
{
    private HttpConfig Http(ConfigNode node, string path)
    {
        int? maxConnections = null, maxUpgraded = null, maxHeaders = null, maxHeaderBytes = null;
        TimeSpan? headersTimeout = null, bodyTimeout = null, keepAlive = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
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
            MaxConnections = maxConnections,
            MaxUpgradedConnections = maxUpgraded,
            RequestHeadersTimeout = headersTimeout,
            BodyReadTimeout = bodyTimeout,
            KeepAliveTimeout = keepAlive,
            MaxRequestHeaders = maxHeaders,
            MaxRequestHeaderBytes = maxHeaderBytes,
        };
    }
}

using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The rules of a bound configuration that its types and <see cref="ConfigValueAttribute"/> cannot express: names,
/// host:port, the partition settings' ranges, which keys belong together, CA files. Relative file paths are resolved against <paramref name="directory"/> and <c>env:</c> secrets read
/// here. Every error names the file, the key path and, when the format tells it, the line.
/// </summary>
internal sealed partial class ConfigChecks(string file, string directory, ConfigFileOrder order, IConfiguration configuration)
{
    private static readonly SearchValues<char> NotInHostNames = SearchValues.Create(" /\\@?#");

    public void Check(CourierConfig config)
    {
        var root = ConfigAt.Root;
        config.Data = FilePath(config.Data);
        ListenAddress(config.Metrics?.Listen, root["metrics"]["listen"]);
        if (config.ParamsSchemas is { } schemas)
        {
            schemas.Directory = FilePath(schemas.Directory);
        }
        if (config.Engine is { } engine)
        {
            Engine(engine, root["engine"]);
        }
        if (config.State is { } state)
        {
            State(state, root["state"]);
        }
        if (config.Telemetry is { } telemetry)
        {
            Telemetry(telemetry, root["telemetry"]);
        }
        AllowedHosts(config.Http?.AllowedHosts ?? [], root["http"]["allowed_hosts"]);
        if (config.Http is { } http)
        {
            Listen(http, root["http"]);
        }
        if (config.Auth is { } auth)
        {
            Auth(auth, root["auth"]);
        }
        Runners(config.Runners, root["runners"]);
        Dispatcher(config.Dispatcher, root["dispatcher"]);
        Recurring(config.Recurring ?? [], root["recurring"]);
        if (config.Alerting is { } alerting)
        {
            Alerting(alerting, root["alerting"]);
        }
    }

    /// <summary>An OTLP endpoint is an absolute http(s) address; the protocol one of two.</summary>
    private void Telemetry(TelemetryConfig telemetry, ConfigAt at)
    {
        if (telemetry.OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            throw Error(at["otlp_endpoint"], $"must be an http:// or https:// address, got '{endpoint}'");
        }
        if (telemetry.OtlpProtocol is { } protocol && protocol is not (TelemetryConfig.Grpc or TelemetryConfig.HttpProtobuf))
        {
            throw Error(at["otlp_protocol"], $"must be {TelemetryConfig.Grpc} or {TelemetryConfig.HttpProtobuf}, got '{protocol}'");
        }
    }

    /// <summary>Host names without scheme or port: <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>, <c>*.example.org</c>, <c>*</c>.</summary>
    private void AllowedHosts(ConfigList<string> hosts, ConfigAt at)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            var bracketed = host.StartsWith('[') && host.EndsWith(']');
            if (host.AsSpan().ContainsAny(NotInHostNames) || (!bracketed && host.Contains(':', StringComparison.Ordinal)))
            {
                throw Error(at[i], $"'{host}' is not a host name (no scheme or port; an IPv6 address in brackets, e.g. [::1])");
            }
        }
    }

    private void Engine(EngineConfig engine, ConfigAt at)
    {
        engine.Producer = Librdkafka(engine.Producer, at["producer"], reserved: []);
        // The dispatcher names its consumers and takes its group from dispatcher.group_id; a group.id or client.id
        // here would be overwritten without a word, so it is refused instead.
        engine.Consumer = Librdkafka(engine.Consumer, at["consumer"], reserved: ["group.id", "client.id"]);
        engine.Admin = Librdkafka(engine.Admin, at["admin"], reserved: []);
        if (engine.Profile is { } profile && KafkaProfileNames.Parse(profile) is null)
        {
            throw Error(at["profile"], $"unknown profile '{profile}' (expected {KafkaProfileNames.Expected})");
        }
        if (engine.Kind == EngineKind.Sqlite && engine.Profile is not null)
        {
            throw Error(at["profile"], "is a Kafka setting, but kind is "
                + (configuration[at["kind"].Key] is null ? "sqlite (the default); add kind: kafka" : "sqlite"));
        }
        var kafkaSettings = engine.BootstrapServers is not null || engine.Producer.Count + engine.Consumer.Count + engine.Admin.Count > 0;
        if (engine.Kind == EngineKind.Kafka && engine.BootstrapServers is null)
        {
            throw new CourierConfigException(file, at["bootstrap_servers"].Path, "is required when kind is kafka (host:port[,host:port…])", order.LineOf(at["kind"].Key));
        }
        if (engine.Kind == EngineKind.Sqlite && kafkaSettings)
        {
            throw Error(at, "bootstrap_servers, producer, consumer and admin are Kafka settings, but kind is "
                + (configuration[at["kind"].Key] is null ? "sqlite (the default); add kind: kafka" : "sqlite"));
        }
    }

    /// <summary>
    /// librdkafka settings, kept as the strings librdkafka parses (<c>linger.ms: 5</c> and <c>"5"</c> are the same;
    /// JSON's <c>True</c> becomes <c>true</c>). Names and values are checked by librdkafka itself.
    /// </summary>
    private Dictionary<string, string> Librdkafka(IReadOnlyDictionary<string, string> settings, ConfigAt at, IReadOnlyCollection<string> reserved)
    {
        var checkedSettings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(at, $"'{key}' is not a librdkafka property name");
            }
            if (reserved.Contains(key))
            {
                throw Error(at[key], key == "group.id" ? "is set by Courier: use dispatcher.group_id" : "is set by Courier for each consumer it creates");
            }
            checkedSettings[key] = value is "True" or "False" ? value.ToLowerInvariant() : value;
        }
        return checkedSettings;
    }

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }

    private void AtLeast(int value, int min, ConfigAt at)
    {
        if (value < min)
        {
            throw Error(at, $"must be at least {min}, got {value}");
        }
    }

    private void NoWhitespace(string name, ConfigAt parent, string noun)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Error(parent, $"'{name}' is not a {noun} (a {noun.Split(' ')[^1]} has no whitespace or control characters)");
        }
    }

    /// <summary>A file path, relative to the configuration file's folder.</summary>
    private string? FilePath(string? path) => path is null ? null : Path.GetFullPath(path, directory);

    private CourierConfigException Error(ConfigAt at, string problem) => new(file, at.Path, problem, order.LineOf(at.Key));
}

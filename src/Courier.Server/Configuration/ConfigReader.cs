using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Courier.Server;

/// <summary>
/// Reads the loaded configuration (file, then <c>COURIER__…</c> environment variables) into a
/// <see cref="CourierConfig"/>, checking every key and value. Unknown keys are errors (a misspelt key silently
/// falling back to a default is how limits get lost), and every error names the file, the key path and the rule.
/// Relative file paths are taken from <paramref name="directory"/>, the configuration file's folder.
/// </summary>
internal sealed partial class ConfigReader(string file, string directory)
{
    public CourierConfig Read(IConfiguration configuration, ConfigFileOrder order)
    {
        var root = new ConfigSection(configuration, "", order);
        string? data = null, service = null, prefix = null;
        int? maxEventBytes = null;
        DispatcherConfig? dispatcher = null;
        MetricsConfig? metrics = null;
        HttpConfig? http = null;
        IntakeConfig? intake = null;
        EngineConfig? engine = null;
        Dictionary<string, RunnerPoolConfig>? runners = null;
        ParamsSchemasConfig? paramsSchemas = null;
        foreach (var (key, value) in Map(root))
        {
            switch (key.ToLowerInvariant())
            {
                case "data": data = FilePath(value); break;
                case "engine": engine = value.IsNull ? null : Engine(value); break;
                case "service": service = NonEmptyString(value); break;
                case "job_topic_prefix": prefix = String(value); break;
                case "max_event_bytes": maxEventBytes = Int(value, min: 1); break;
                case "dispatcher": dispatcher = value.IsNull ? null : Dispatcher(value); break;
                case "metrics": metrics = value.IsNull ? null : Metrics(value); break;
                case "http": http = value.IsNull ? null : Http(value); break;
                case "intake": intake = value.IsNull ? null : Intake(value); break;
                case "runners": runners = value.IsNull ? null : Runners(value); break;
                case "params_schemas": paramsSchemas = value.IsNull ? null : ParamsSchemas(value); break;
                default: throw Unknown(root, key, value);
            }
        }
        return new CourierConfig
        {
            Data = data,
            Engine = engine,
            Service = service,
            JobTopicPrefix = prefix,
            MaxEventBytes = maxEventBytes,
            Dispatcher = dispatcher ?? new DispatcherConfig(),
            Metrics = metrics,
            Http = http,
            Intake = intake,
            Runners = runners ?? [],
            ParamsSchemas = paramsSchemas,
        };
    }

    private ParamsSchemasConfig ParamsSchemas(ConfigSection node)
    {
        string? schemaDirectory = null;
        bool? requireSchemas = null, requireVersion = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "directory": schemaDirectory = FilePath(value); break;
                case "require_schemas": requireSchemas = Bool(value); break;
                case "require_version": requireVersion = Bool(value); break;
                default: throw Unknown(node, key, value);
            }
        }
        return new ParamsSchemasConfig { Directory = schemaDirectory, RequireSchemas = requireSchemas, RequireVersion = requireVersion };
    }

    private MetricsConfig Metrics(ConfigSection node)
    {
        string? listen = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "listen":
                    listen = NonEmptyString(value);
                    if (listen is not null && !IsHostPort(listen))
                    {
                        throw Error(value, $"must be host:port (e.g. 127.0.0.1:9464), got '{listen}'");
                    }
                    break;
                default: throw Unknown(node, key, value);
            }
        }
        return new MetricsConfig { Listen = listen };
    }

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }
}

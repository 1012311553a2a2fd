using System.Globalization;
using Courier.Runners;

namespace Courier.Server.Internal;

/// <summary>
/// Turns a <see cref="ConfigNode"/> tree into a <see cref="CourierConfig"/>, checking every key and value. Unknown
/// keys are errors (a misspelt key silently falling back to a default is how limits get lost), and every error
/// names the file, the key path and the rule.
/// </summary>
internal sealed partial class ConfigBinder(string file)
{
    public CourierConfig Bind(ConfigNode? root)
    {
        if (root is null || root is ConfigScalar { Kind: ConfigScalarKind.Null })
        {
            return new CourierConfig();
        }
        string? data = null, service = null, prefix = null;
        int? maxEventBytes = null;
        DispatcherConfig? dispatcher = null;
        MetricsConfig? metrics = null;
        HttpConfig? http = null;
        IntakeConfig? intake = null;
        EngineConfig? engine = null;
        Dictionary<string, RunnerPoolConfig>? runners = null;
        ParamsSchemasConfig? paramsSchemas = null;
        foreach (var (key, value) in Map(root, "").Entries)
        {
            var path = ConfigTreeReader.Child("", key);
            switch (key)
            {
                case "data": data = NonEmptyString(value, path); break;
                case "engine": engine = IsNull(value) ? null : Engine(value, path); break;
                case "service": service = NonEmptyString(value, path); break;
                case "job_topic_prefix": prefix = String(value, path); break;
                case "max_event_bytes": maxEventBytes = Int(value, path, min: 1); break;
                case "dispatcher": dispatcher = IsNull(value) ? null : Dispatcher(value, path); break;
                case "metrics": metrics = IsNull(value) ? null : Metrics(value, path); break;
                case "http": http = IsNull(value) ? null : Http(value, path); break;
                case "intake": intake = IsNull(value) ? null : Intake(value, path); break;
                case "runners": runners = IsNull(value) ? null : Runners(value, path); break;
                case "params_schemas": paramsSchemas = IsNull(value) ? null : ParamsSchemas(value, path); break;
                default: throw Unknown("", key, value);
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

    private ParamsSchemasConfig ParamsSchemas(ConfigNode node, string path)
    {
        string? directory = null;
        bool? requireSchemas = null, requireVersion = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "directory": directory = NonEmptyString(value, child); break;
                case "require_schemas": requireSchemas = Bool(value, child); break;
                case "require_version": requireVersion = Bool(value, child); break;
                default: throw Unknown(path, key, value);
            }
        }
        return new ParamsSchemasConfig { Directory = directory, RequireSchemas = requireSchemas, RequireVersion = requireVersion };
    }

    private Dictionary<string, RunnerPoolConfig> Runners(ConfigNode node, string path)
    {
        var pools = new Dictionary<string, RunnerPoolConfig>(StringComparer.Ordinal);
        foreach (var (name, value) in Map(node, path).Entries)
        {
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(path, $"'{name}' is not a runner pool name (a name has no whitespace or control characters)", value);
            }
            if (name == RuleConfig.InProcess)
            {
                throw Error(path, $"'{RuleConfig.InProcess}' is reserved: a rule's `runner: {RuleConfig.InProcess}` runs its jobs in this process", value);
            }
            pools[name] = RunnerPool(value, ConfigTreeReader.Child(path, name));
        }
        return pools;
    }

    private RunnerPoolConfig RunnerPool(ConfigNode node, string path)
    {
        List<Uri>? urls = null;
        RunnerMode? mode = null;
        string? urlPath = null, caFile = null;
        TimeSpan? executionLimit = null, retryAfter = null, connectTimeout = null;
        int? maxConnections = null;
        RunnerKey? key = null;
        foreach (var (field, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, field);
            switch (field)
            {
                case "urls": urls = Urls(value, child); break;
                case "mode":
                    mode = String(value, child) switch
                    {
                        null => null,
                        "courier" => RunnerMode.Courier,
                        "mediawiki" => RunnerMode.MediaWiki,
                        var other => throw Error(child, $"unknown mode '{other}' (expected courier or mediawiki)", value),
                    };
                    break;
                case "path":
                    urlPath = String(value, child);
                    if (urlPath is not null && (urlPath.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || urlPath.Contains('?', StringComparison.Ordinal) || urlPath.Contains('#', StringComparison.Ordinal)))
                    {
                        throw Error(child, $"'{urlPath}' is not a URL path (e.g. /rpc/RunSingleJob)", value);
                    }
                    break;
                case "execution_limit": executionLimit = Duration(value, child, allowZero: false); break;
                case "max_connections": maxConnections = Int(value, child, min: 1); break;
                case "signing_key": key = IsNull(value) ? null : SigningKey(value, child); break;
                case "retry_after_default": retryAfter = Duration(value, child, allowZero: false); break;
                case "connect_timeout": connectTimeout = Duration(value, child, allowZero: false); break;
                case "ca_file": caFile = CaFile(value, child); break;
                default: throw Unknown(path, field, value);
            }
        }
        if (urls is null || urls.Count == 0)
        {
            throw Error(path, "needs 'urls': a list of runner base URLs, e.g. [http://10.0.0.1:5080, http://10.0.0.2:5080]", node);
        }
        return new RunnerPoolConfig
        {
            Urls = urls,
            Mode = mode,
            Path = urlPath,
            ExecutionLimit = executionLimit,
            MaxConnections = maxConnections,
            SigningKey = key,
            RetryAfterDefault = retryAfter,
            ConnectTimeout = connectTimeout,
            CaFile = caFile,
        };
    }

    /// <summary>A PEM file of CA certificates, read now so that a missing or broken file is reported with its key.</summary>
    private string? CaFile(ConfigNode node, string path)
    {
        var file = NonEmptyString(node, path);
        if (file is null)
        {
            return null;
        }
        try
        {
            foreach (var certificate in PinnedCa.Load(file))
            {
                certificate.Dispose();
            }
        }
        catch (ArgumentException e)
        {
            throw Error(path, e.Message, node);
        }
        return file;
    }

    /// <summary>A list of absolute http(s) URLs; a single string is a list of one.</summary>
    private List<Uri>? Urls(ConfigNode node, string path)
    {
        var items = node switch
        {
            ConfigScalar { Kind: ConfigScalarKind.Null } => null,
            ConfigList list => list.Items.Select((item, i) => (Node: item, Path: $"{path}[{i}]")).ToList(),
            ConfigScalar => [(Node: node, Path: path)],
            _ => throw Error(path, $"must be a list of URLs, got {node.Describe()}", node),
        };
        if (items is null)
        {
            return null;
        }
        var urls = new List<Uri>();
        foreach (var (item, itemPath) in items)
        {
            var text = NonEmptyString(item, itemPath);
            if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            {
                throw Error(itemPath, $"'{text}' is not an http or https URL without user info (e.g. http://127.0.0.1:5080)", item);
            }
            if (urls.Contains(url))
            {
                throw Error(itemPath, $"'{text}' appears twice", item);
            }
            urls.Add(url);
        }
        return urls;
    }

    /// <summary>
    /// <c>{id, secret}</c>. The secret is text, <c>base64:…</c>, or <c>env:NAME</c> to read it from an environment
    /// variable so that it need not be written in the file. Errors never quote the secret.
    /// </summary>
    private RunnerKey SigningKey(ConfigNode node, string path)
    {
        string? id = null, secret = null;
        ConfigNode? secretNode = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "id": id = NonEmptyString(value, child); break;
                case "secret": secret = NonEmptyString(value, child); secretNode = value; break;
                default: throw Unknown(path, key, value);
            }
        }
        if (id is null || secret is null || secretNode is null)
        {
            throw Error(path, "needs 'id' and 'secret' (the secret as text, base64:…, or env:NAME to read it from an environment variable)", node);
        }
        var secretPath = ConfigTreeReader.Child(path, "secret");
        if (secret.StartsWith("env:", StringComparison.Ordinal))
        {
            var variable = secret["env:".Length..];
            var fromEnvironment = variable.Length == 0 ? null : Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(fromEnvironment))
            {
                throw Error(secretPath, $"environment variable '{variable}' is not set", secretNode);
            }
            secret = fromEnvironment;
        }
        if (id.Any(c => c is ',' or '=' || char.IsWhiteSpace(c)))
        {
            throw Error(ConfigTreeReader.Child(path, "id"), $"'{id}' must not contain ',', '=' or whitespace", node);
        }
        // Errors name the problem, never the secret.
        try
        {
            _ = RunnerSignature.ParseSecret(secret);
        }
        catch (FormatException)
        {
            throw Error(secretPath, "the text after base64: is not valid base64", secretNode);
        }
        catch (ArgumentException)
        {
            throw Error(secretPath, "must be at least 16 bytes (e.g. base64: and 32 random bytes, as `openssl rand -base64 32` prints)", secretNode);
        }
        return new RunnerKey(id, secret);
    }

    private DispatcherConfig Dispatcher(ConfigNode node, string path)
    {
        string? groupId = null;
        TimeSpan? commitInterval = null, drain = null;
        List<TimeSpan>? tiers = null;
        RuleConfig? defaults = null;
        Dictionary<string, RuleConfig>? rules = null;
        Dictionary<string, PatternConfig>? patterns = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "group_id": groupId = NonEmptyString(value, child); break;
                case "commit_interval": commitInterval = Duration(value, child, allowZero: false); break;
                case "shutdown_drain_timeout": drain = Duration(value, child, allowZero: true); break;
                case "retry_tiers": tiers = IsNull(value) ? null : RetryTiers(value, child); break;
                case "defaults":
                    defaults = IsNull(value) ? null : Rule(value, child);
                    if (defaults?.Partition is not null)
                    {
                        throw Error(child, "'partition' belongs in a rule of its own type (dispatcher.rules.<type>.partition), not in defaults", value);
                    }
                    break;
                case "rules": rules = IsNull(value) ? null : Rules(value, child); break;
                case "patterns": patterns = IsNull(value) ? null : Patterns(value, child); break;
                default: throw Unknown(path, key, value);
            }
        }
        return new DispatcherConfig
        {
            GroupId = groupId,
            CommitInterval = commitInterval,
            ShutdownDrainTimeout = drain,
            RetryTiers = tiers,
            Defaults = defaults ?? new RuleConfig(),
            Rules = rules ?? [],
            Patterns = patterns ?? [],
        };
    }

    private Dictionary<string, PatternConfig> Patterns(ConfigNode node, string path)
    {
        var patterns = new Dictionary<string, PatternConfig>(StringComparer.Ordinal);
        foreach (var (name, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, name);
            var rule = Rule(value, child, out var topics);
            if (topics is null)
            {
                throw Error(child, "needs 'topics': a regular expression over topic names starting with '^', e.g. '^mediawiki\\.job\\..*'", value);
            }
            patterns[name] = new PatternConfig { Topics = topics, Rule = rule };
        }
        return patterns;
    }

    private List<TimeSpan> RetryTiers(ConfigNode node, string path)
    {
        if (node is not ConfigList list)
        {
            throw Error(path, $"must be a list of durations, got {node.Describe()}", node);
        }
        var tiers = new List<TimeSpan>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            tiers.Add(Duration(list.Items[i], $"{path}[{i}]", allowZero: false)!.Value);
        }
        return tiers;
    }

    private Dictionary<string, RuleConfig> Rules(ConfigNode node, string path)
    {
        var rules = new Dictionary<string, RuleConfig>(StringComparer.Ordinal);
        foreach (var (type, value) in Map(node, path).Entries)
        {
            if (type.Length == 0 || type.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(path, $"'{type}' is not a job type (a type has no whitespace or control characters)", value);
            }
            rules[type] = IsNull(value) ? new RuleConfig() : Rule(value, ConfigTreeReader.Child(path, type));
        }
        return rules;
    }

    private RuleConfig Rule(ConfigNode node, string path) => Rule(node, path, out _, allowTopics: false);

    private RuleConfig Rule(ConfigNode node, string path, out string? topics, bool allowTopics = true)
    {
        topics = null;
        int? concurrency = null;
        TimeSpan? timeout = null;
        RetryConfig? retry = null;
        List<FailureClass>? ignore = null;
        PartitionSpec? partition = null;
        string? runner = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "concurrency": concurrency = Int(value, child, min: 1); break;
                case "timeout": timeout = Duration(value, child, allowZero: false); break;
                case "retry": retry = IsNull(value) ? null : Retry(value, child); break;
                case "ignore": ignore = IsNull(value) ? null : Ignore(value, child); break;
                case "topics" when allowTopics: topics = NonEmptyString(value, child); break;
                case "partition" when !allowTopics: partition = IsNull(value) ? null : Partition(value, child); break;
                case "runner": runner = NonEmptyString(value, child); break;
                default: throw Unknown(path, key, value);
            }
        }
        return new RuleConfig { Concurrency = concurrency, Timeout = timeout, Retry = retry, Ignore = ignore, Partition = partition, Runner = runner };
    }

    private PartitionSpec Partition(ConfigNode node, string path)
    {
        var spec = new PartitionSpec();
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "key": spec.Key = NonEmptyString(value, child) ?? spec.Key; break;
                case "default": spec.Default = Int(value, child, min: 0) ?? 0; break;
                case "partitions": spec.Partitions = Int(value, child, min: 1) ?? 0; break;
                case "map":
                    foreach (var (keyValue, partition) in Map(value, child).Entries)
                    {
                        spec.Map[keyValue] = Int(partition, ConfigTreeReader.Child(child, keyValue), min: 0) ?? 0;
                    }
                    break;
                default: throw Unknown(path, key, value);
            }
        }
        return spec;
    }

    private RetryConfig Retry(ConfigNode node, string path)
    {
        int? limit = null;
        TimeSpan? delay = null;
        double? factor = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                // 0 is a value like any other: it means no retries. (The original's `retry_limit || 2` turned a
                // configured 0 into 2; nothing here substitutes a default for a value that is present.)
                case "limit": limit = Int(value, child, min: 0, tooSmall: "must be 0 or more (0 means no retries)"); break;
                case "delay": delay = Duration(value, child, allowZero: true); break;
                case "factor": factor = Factor(value, child); break;
                default: throw Unknown(path, key, value);
            }
        }
        return new RetryConfig { Limit = limit, Delay = delay, Factor = factor };
    }

    private List<FailureClass> Ignore(ConfigNode node, string path)
    {
        if (node is not ConfigList list)
        {
            throw Error(path, $"must be a list of failure classes, got {node.Describe()}", node);
        }
        var classes = new List<FailureClass>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var name = String(list.Items[i], itemPath);
            if (!FailureClasses.TryParse(name, out var failureClass))
            {
                throw Error(itemPath, $"unknown failure class '{name}' (expected retryable, permanent or backpressure)", list.Items[i]);
            }
            if (failureClass == FailureClass.Decode)
            {
                throw Error(itemPath, "decode failures cannot be ignored; they are always dead-lettered", list.Items[i]);
            }
            classes.Add(failureClass);
        }
        return classes;
    }

    private EngineConfig Engine(ConfigNode node, string path)
    {
        EngineKind? kind = null;
        string? bootstrapServers = null;
        ConfigNode? kindNode = null;
        Dictionary<string, string>? producer = null, consumer = null, admin = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "kind":
                    kindNode = value;
                    kind = String(value, child) switch
                    {
                        null => null,
                        "sqlite" => EngineKind.Sqlite,
                        "kafka" => EngineKind.Kafka,
                        var other => throw Error(child, $"unknown engine '{other}' (expected sqlite or kafka)", value),
                    };
                    break;
                case "bootstrap_servers": bootstrapServers = NonEmptyString(value, child); break;
                case "producer": producer = IsNull(value) ? null : Librdkafka(value, child, reserved: []); break;
                // The dispatcher names its consumers and takes its group from dispatcher.group_id; a group.id or
                // client.id here would be overwritten without a word, so it is refused instead.
                case "consumer": consumer = IsNull(value) ? null : Librdkafka(value, child, reserved: ["group.id", "client.id"]); break;
                case "admin": admin = IsNull(value) ? null : Librdkafka(value, child, reserved: []); break;
                default: throw Unknown(path, key, value);
            }
        }
        var resolved = kind ?? EngineKind.Sqlite;
        if (resolved == EngineKind.Kafka && bootstrapServers is null)
        {
            throw Error(ConfigTreeReader.Child(path, "bootstrap_servers"), "is required when kind is kafka (host:port[,host:port…])", kindNode ?? node);
        }
        if (resolved == EngineKind.Sqlite && (bootstrapServers is not null || producer is not null || consumer is not null || admin is not null))
        {
            throw Error(path, "bootstrap_servers, producer, consumer and admin are Kafka settings, but kind is "
                + (kind is null ? "sqlite (the default); add kind: kafka" : "sqlite"), node);
        }
        return new EngineConfig
        {
            Kind = resolved,
            BootstrapServers = bootstrapServers,
            Producer = producer ?? [],
            Consumer = consumer ?? [],
            Admin = admin ?? [],
        };
    }

    /// <summary>
    /// librdkafka settings: a flat mapping of property names to scalars, kept as the strings librdkafka parses
    /// (<c>linger.ms: 5</c> and <c>linger.ms: "5"</c> are the same). Names and values are checked by librdkafka itself.
    /// </summary>
    private Dictionary<string, string> Librdkafka(ConfigNode node, string path, IReadOnlyCollection<string> reserved)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(path, $"'{key}' is not a librdkafka property name", value);
            }
            if (reserved.Contains(key))
            {
                throw Error(child, key == "group.id"
                    ? "is set by Courier: use dispatcher.group_id"
                    : "is set by Courier for each consumer it creates", value);
            }
            settings[key] = value switch
            {
                ConfigScalar { Kind: not ConfigScalarKind.Null } s => s.Value,
                _ => throw Error(child, $"must be a string, number or boolean (librdkafka setting), got {value.Describe()}", value),
            };
        }
        return settings;
    }

    private MetricsConfig Metrics(ConfigNode node, string path)
    {
        string? listen = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "listen":
                    listen = NonEmptyString(value, child);
                    if (listen is not null && !IsHostPort(listen))
                    {
                        throw Error(child, $"must be host:port (e.g. 127.0.0.1:9464), got '{listen}'", value);
                    }
                    break;
                default: throw Unknown(path, key, value);
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

    private ConfigMap Map(ConfigNode node, string path) =>
        node as ConfigMap ?? throw Error(path, $"must be a mapping, got {node.Describe()}", node);

    private static bool IsNull(ConfigNode node) => node is ConfigScalar { Kind: ConfigScalarKind.Null };

    private string? String(ConfigNode node, string path) => node switch
    {
        ConfigScalar { Kind: ConfigScalarKind.Null } => null,
        ConfigScalar { Kind: ConfigScalarKind.Text or ConfigScalarKind.Plain } s => s.Value,
        _ => throw Error(path, $"must be a string, got {node.Describe()}", node),
    };

    private string? NonEmptyString(ConfigNode node, string path)
    {
        var value = String(node, path);
        return value is { Length: 0 } ? throw Error(path, "must not be empty", node) : value;
    }

    private bool? Bool(ConfigNode node, string path) => node switch
    {
        ConfigScalar { Kind: ConfigScalarKind.Null } => null,
        ConfigScalar { Kind: ConfigScalarKind.Plain or ConfigScalarKind.Boolean } s when bool.TryParse(s.Value, out var value) => value,
        _ => throw Error(path, $"must be true or false, got {node.Describe()}", node),
    };

    private int? Int(ConfigNode node, string path, int min, string? tooSmall = null)
    {
        switch (node)
        {
            case ConfigScalar { Kind: ConfigScalarKind.Null }:
                return null;
            case ConfigScalar { Kind: ConfigScalarKind.Plain or ConfigScalarKind.Number } s:
                if (!int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    throw Error(path, $"must be a whole number, got '{s.Value}'", node);
                }
                if (value < min)
                {
                    throw Error(path, $"{tooSmall ?? $"must be at least {min}"}, got {value}", node);
                }
                return value;
            default:
                throw Error(path, $"must be a whole number, got {node.Describe()}", node);
        }
    }

    private double? Factor(ConfigNode node, string path)
    {
        switch (node)
        {
            case ConfigScalar { Kind: ConfigScalarKind.Null }:
                return null;
            case ConfigScalar { Kind: ConfigScalarKind.Plain or ConfigScalarKind.Number } s
                when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value):
                return value >= 1 ? value : throw Error(path, $"must be at least 1 (delays must not shrink), got {s.Value}", node);
            default:
                throw Error(path, $"must be a number, got {node.Describe()}", node);
        }
    }

    private TimeSpan? Duration(ConfigNode node, string path, bool allowZero)
    {
        switch (node)
        {
            case ConfigScalar { Kind: ConfigScalarKind.Null }:
                return null;
            case ConfigScalar { Kind: ConfigScalarKind.Text or ConfigScalarKind.Plain or ConfigScalarKind.Number } s:
                if (!Durations.TryParse(s.Value, out var duration))
                {
                    throw Error(path, $"'{s.Value}' is not a duration ({Durations.Help})", node);
                }
                if (!allowZero && duration == TimeSpan.Zero)
                {
                    throw Error(path, "must be longer than 0", node);
                }
                return duration;
            default:
                throw Error(path, $"must be a duration ({Durations.Help}), got {node.Describe()}", node);
        }
    }

    private CourierConfigException Unknown(string path, string key, ConfigNode value) =>
        Error(path, $"unknown key '{key}'", value);

    private CourierConfigException Error(string path, string problem, ConfigNode node) =>
        new(file, path, problem, node.Line);
}

namespace Courier.Server;

/// <summary>The <c>engine</c> section: the job log, and librdkafka settings passed through.</summary>
internal sealed partial class ConfigReader
{
    private EngineConfig Engine(ConfigSection node)
    {
        EngineKind? kind = null;
        string? bootstrapServers = null;
        ConfigSection? kindNode = null;
        Dictionary<string, string>? producer = null, consumer = null, admin = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "kind":
                    kindNode = value;
                    kind = Choice(value, "engine", ("sqlite", EngineKind.Sqlite), ("kafka", EngineKind.Kafka));
                    break;
                case "bootstrap_servers": bootstrapServers = NonEmptyString(value); break;
                case "producer": producer = value.IsNull ? null : Librdkafka(value, reserved: []); break;
                // The dispatcher names its consumers and takes its group from dispatcher.group_id; a group.id or
                // client.id here would be overwritten without a word, so it is refused instead.
                case "consumer": consumer = value.IsNull ? null : Librdkafka(value, reserved: ["group.id", "client.id"]); break;
                case "admin": admin = value.IsNull ? null : Librdkafka(value, reserved: []); break;
                default: throw Unknown(node, key, value);
            }
        }
        var resolved = kind ?? EngineKind.Sqlite;
        if (resolved == EngineKind.Kafka && bootstrapServers is null)
        {
            throw Error(kindNode ?? node, $"{node.Path}.bootstrap_servers", "is required when kind is kafka (host:port[,host:port…])");
        }
        if (resolved == EngineKind.Sqlite && (bootstrapServers is not null || producer is not null || consumer is not null || admin is not null))
        {
            throw Error(node, "bootstrap_servers, producer, consumer and admin are Kafka settings, but kind is "
                + (kind is null ? "sqlite (the default); add kind: kafka" : "sqlite"));
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
    private Dictionary<string, string> Librdkafka(ConfigSection node, IReadOnlyCollection<string> reserved)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Map(node))
        {
            if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(node, $"'{key}' is not a librdkafka property name");
            }
            if (reserved.Contains(key))
            {
                throw Error(value, key == "group.id" ? "is set by Courier: use dispatcher.group_id" : "is set by Courier for each consumer it creates");
            }
            settings[key] = value switch
            {
                { HasChildren: false, Value: "True" or "False" } => value.Value.ToLowerInvariant(),
                { HasChildren: false, Value: { } text } => text,
                _ => throw Error(value, $"must be a string, number or boolean (librdkafka setting), got {value.Describe()}"),
            };
        }
        return settings;
    }
}

using System.Text.Json;

namespace Courier;

/// <summary>Settings shared by the client, the codec and the dispatcher.</summary>
public sealed class CourierOptions
{
    /// <summary>Largest encoded job event accepted, in bytes (default 4 MiB, as the original's <c>kafka_max_bytes</c>).</summary>
    public int MaxEventBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Topic names.</summary>
    public TopicNames Topics { get; set; } = new();

    /// <summary>Recorded in <c>meta.producer</c> of every job the client enqueues.</summary>
    public string ProducerName { get; set; } = "courier";

    /// <summary>Recorded in <c>meta.producer</c>; defaults to the entry assembly's version.</summary>
    public string ProducerVersion { get; set; } =
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>Partitions of topics Courier creates.</summary>
    public int DefaultPartitions { get; set; } = 4;

    /// <summary>
    /// The params schemas jobs are checked against (docs/contracts.md "Params schemas"); null (the default) checks
    /// nothing and costs nothing. When set: the client fills <c>meta.params_version</c> with a type's newest version when
    /// a request names none and refuses params that break the schema (<see cref="JobContractException"/>); the
    /// dispatcher and runners dead-letter jobs whose params do not match the version they name, with class
    /// <c>decode</c>; the server's intake refuses them. <c>UseParamsSchemas(directory)</c> on the builder sets it.
    /// </summary>
    public ParamsSchemaRegistry? ParamsSchemas { get; set; }

    /// <summary>
    /// With <see cref="ParamsSchemas"/> set: true refuses jobs of a type that has no schema and jobs that name no
    /// params version; false (the default, so existing producers keep working) lets them through unchecked.
    /// </summary>
    public bool RequireParamsSchemas { get; set; }

    /// <summary>How params bind to handler types (camelCase, as MediaWiki writes them).</summary>
    public JsonSerializerOptions ParamsSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}

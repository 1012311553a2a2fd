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

    /// <summary>
    /// The release this process runs: the <c>release</c> tag of <c>courier.jobs.outcomes</c> (and of the runner's
    /// <c>courier.runner.requests</c>) and a field of every job-failure log line, so a failure rate can be told apart by
    /// deployment. Default: the <c>COURIER_RELEASE</c> environment variable, else the entry assembly's informational
    /// version, whole (<c>1.4.0+3f2c1e9…</c>). One string per process: it costs no allocation per job.
    /// </summary>
    public string Release { get; set; } = Telemetry.ReleaseName.Default;

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
    /// With <see cref="ParamsSchemas"/> set: true refuses jobs of a type that has no schema (decode failure
    /// <c>no_schema</c>; the client throws); false (the default, so existing types keep working) lets them through
    /// unchecked. The demo (<c>courier up</c>, <c>courier serve</c>) sets it.
    /// </summary>
    public bool RequireParamsSchemas { get; set; }

    /// <summary>
    /// With <see cref="ParamsSchemas"/> set: true refuses jobs that name no params version although their type has
    /// schemas (decode failure <c>missing_version</c>); false (the default) lets them through unchecked, as events from
    /// producers without schemas (MediaWiki, older clients) name none. The client always names one, so its jobs are
    /// checked either way.
    /// </summary>
    public bool RequireParamsVersion { get; set; }

    /// <summary>How params bind to handler types (camelCase, as MediaWiki writes them).</summary>
    public JsonSerializerOptions ParamsSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}

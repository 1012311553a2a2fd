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

    /// <summary>How params bind to handler types (camelCase, as MediaWiki writes them).</summary>
    public JsonSerializerOptions ParamsSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };
}

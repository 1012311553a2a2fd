using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>telemetry</c> section: where traces and metrics are exported over OTLP (beside <c>/metrics</c>). Without it
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> variables are read; with
/// neither, nothing is exported and no activity is recorded.
/// </summary>
public sealed class TelemetryConfig
{
    /// <summary>The value of <see cref="OtlpProtocol"/> for OTLP over gRPC (the default).</summary>
    public const string Grpc = "grpc";

    /// <summary>The value of <see cref="OtlpProtocol"/> for OTLP over HTTP with protobuf bodies.</summary>
    public const string HttpProtobuf = "http_protobuf";

    /// <summary>
    /// <c>otlp_endpoint</c>: the collector's base address, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> means it (for
    /// <c>http_protobuf</c>, traces go to <c>v1/traces</c> and metrics to <c>v1/metrics</c> under it), e.g.
    /// <c>http://127.0.0.1:4317</c>.
    /// </summary>
    [ConfigurationKeyName("otlp_endpoint")]
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>otlp_protocol</c>: <c>grpc</c> (default) or <c>http_protobuf</c>.</summary>
    [ConfigurationKeyName("otlp_protocol")]
    public string? OtlpProtocol { get; init; }
}

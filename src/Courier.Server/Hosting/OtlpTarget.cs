using Courier.Server.Configuration;
using OpenTelemetry.Exporter;

namespace Courier.Server.Hosting;

/// <summary>
/// Where a host exports traces and metrics over OTLP: the configuration's <c>telemetry</c> section, else the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> variables (read here, and only here), else
/// nowhere. The hosts' empty builders do not put those variables in their configuration, so the exporter would not see
/// them itself.
/// </summary>
internal sealed record OtlpTarget(Uri Endpoint, OtlpExportProtocol Protocol)
{
    /// <summary>The standard variable naming the collector's base address.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable naming the protocol: <c>grpc</c> or <c>http/protobuf</c>.</summary>
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The target the configuration or the environment names, or null for none.</summary>
    public static OtlpTarget? Resolve(TelemetryConfig? config, Func<string, string?> environment)
    {
        var endpoint = config?.OtlpEndpoint;
        var protocol = config?.OtlpProtocol;
        if (endpoint is null && environment(EndpointVariable) is { Length: > 0 } variable)
        {
            endpoint = Uri.TryCreate(variable, UriKind.Absolute, out var parsed) ? parsed
                : throw new ArgumentException($"{EndpointVariable} must be an absolute address, got '{variable}'", nameof(environment));
        }
        if (endpoint is null)
        {
            return null;
        }
        protocol ??= environment(ProtocolVariable);
        return new OtlpTarget(endpoint, protocol is TelemetryConfig.HttpProtobuf or "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc);
    }

    /// <summary>
    /// Points an exporter of <paramref name="signal"/> (<c>traces</c>, <c>metrics</c>) at the target: over HTTP each
    /// signal has its path under the base address (<c>v1/traces</c>), as the standard variable means it; gRPC takes the
    /// address as it is.
    /// </summary>
    public void ApplyTo(OtlpExporterOptions options, string signal)
    {
        options.Protocol = Protocol;
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(new Uri(Endpoint.AbsoluteUri.EndsWith('/') ? Endpoint.AbsoluteUri : Endpoint.AbsoluteUri + "/"), "v1/" + signal)
            : Endpoint;
    }
}

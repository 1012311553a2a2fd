using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Courier.Server.Hosting;

/// <summary>
/// The OpenTelemetry setup both hosts share: their meter as Prometheus text at <c>/metrics</c>, and, when an OTLP
/// target is configured (<see cref="OtlpTarget"/>), metrics and the traces of their activity sources exported to it.
/// Without a target no tracer provider is made, so no activity is created and nothing is recorded.
/// </summary>
/// <remarks>
/// The meter provider sees only the meter its own host's container made (through that container's
/// <see cref="IMeterFactory"/>), not every meter of the same name in the process: two hosts in one process (tests,
/// or an application hosting a dispatcher and a runner) each export and watch their own counters. So the meter is
/// not added to the provider by name (<c>AddMeter</c>, which the SDK matches process-wide); it is enabled for the
/// provider's metrics listener with <see cref="MeterScope.Local"/>, a rule that the host's metrics subscription
/// matches only against meters whose <see cref="Meter.Scope"/> is that container's factory.
/// </remarks>
internal static class HostTelemetry
{
    /// <summary>The name of the metrics listener through which the OpenTelemetry SDK subscribes in a host.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    public static void Add(IServiceCollection services, string serviceName, string meter, string[] traceSources, OtlpTarget? otlp,
        Action<MeterProviderBuilder>? metrics = null)
    {
        services.AddMetrics(b => b.EnableMetrics(meter, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Local));
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(HostTelemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddPrometheusExporter();
                metrics?.Invoke(m);
                if (otlp is not null)
                {
                    m.AddOtlpExporter(o => otlp.ApplyTo(o, "metrics"));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(t => t.AddSource(traceSources).AddOtlpExporter(o => otlp.ApplyTo(o, "traces")));
        }
    }
}

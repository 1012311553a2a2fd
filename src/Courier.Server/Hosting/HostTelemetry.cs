using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Courier.Server.Hosting;

/// <summary>
/// The OpenTelemetry setup both hosts share: their meter as Prometheus text at <c>/metrics</c>, and, when an OTLP
/// target is configured (<see cref="OtlpTarget"/>), metrics and the traces of their activity sources exported to it.
/// Without a target no tracer provider is made, so no activity is created and nothing is recorded.
/// </summary>
internal static class HostTelemetry
{
    public static void Add(IServiceCollection services, string serviceName, string meter, string[] traceSources, OtlpTarget? otlp,
        Action<MeterProviderBuilder>? metrics = null)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(HostTelemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(meter).AddPrometheusExporter();
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

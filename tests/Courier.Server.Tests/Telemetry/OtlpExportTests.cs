using System.Collections.Concurrent;
using System.Diagnostics;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Exporter;
using Xunit;

namespace Courier.Server.Tests.Telemetry;

/// <summary>
/// OTLP export: a server given <c>telemetry.otlp_endpoint</c> sends the traces of its executions to a collector (here
/// a stand-in on Kestrel at 127.0.0.1 receiving OTLP/HTTP), and one given nothing exports nothing.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Server_ExportsTheJobsExecution_InTheEnqueuersTrace_OverOtlpHttp()
    {
        var ct = TestContext.Current.CancellationToken;
        var traces = new ConcurrentQueue<byte[]>();
        await using var collector = await LoopbackApp.StartAsync(app =>
        {
            app.MapPost("/v1/traces", async context => traces.Enqueue(await ReadAsync(context)));
            app.MapPost("/v1/metrics", async context => { _ = await ReadAsync(context); });
        }, cancellationToken: ct);
        using var dir = new TempDirectory();
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
            Config = new CourierConfig { Telemetry = new TelemetryConfig { OtlpEndpoint = collector.BaseUrl, OtlpProtocol = TelemetryConfig.HttpProtobuf } },
        });
        await server.StartAsync(ct);

        // The enqueuing service's span, sampled there: its context travels in the record's headers.
        var producer = new Activity("enqueue").SetIdFormat(ActivityIdFormat.W3C);
        producer.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        producer.Start();
        try
        {
            await server.Client.EnqueueAsync(new JobRequest
            {
                Type = DemoJobTypes.HtmlCacheUpdate,
                Database = "enwiki",
                Params = new HtmlCacheUpdateParams { Table = "templatelinks", Title = new PageTitle(10, "Infobox") },
            }, ct);
        }
        finally
        {
            producer.Stop();
        }

        var traceId = Convert.FromHexString(producer.TraceId.ToHexString());
        await Eventually.TrueAsync(() => traces.Any(body => body.AsSpan().IndexOf(traceId) >= 0),
            "a batch of spans in the job's trace reached the collector", TimeSpan.FromSeconds(60),
            () => $"{traces.Count} batches received");
        await server.StopAsync(ct);
    }

    [Fact]
    public void Target_IsTheConfiguration_ElseTheStandardVariables_ElseNone()
    {
        var config = new TelemetryConfig { OtlpEndpoint = new Uri("http://collector:4318"), OtlpProtocol = TelemetryConfig.HttpProtobuf };
        var environment = new Dictionary<string, string>
        {
            [OtlpTarget.EndpointVariable] = "http://from-env:4317",
            [OtlpTarget.ProtocolVariable] = "http/protobuf",
        };

        Assert.Null(OtlpTarget.Resolve(null, _ => null));
        Assert.Equal(new OtlpTarget(new Uri("http://collector:4318"), OtlpExportProtocol.HttpProtobuf), OtlpTarget.Resolve(config, environment.GetValueOrDefault));
        Assert.Equal(new OtlpTarget(new Uri("http://from-env:4317"), OtlpExportProtocol.HttpProtobuf), OtlpTarget.Resolve(null, environment.GetValueOrDefault));
        Assert.Equal(OtlpExportProtocol.Grpc, OtlpTarget.Resolve(null, name => name == OtlpTarget.EndpointVariable ? "http://c:4317" : null)!.Protocol);
        var options = new OtlpExporterOptions();
        OtlpTarget.Resolve(config, _ => null)!.ApplyTo(options, "traces");
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), options.Endpoint);
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Response.ContentType = "application/x-protobuf";
        return body.ToArray();
    }
}

using System.Net;
using System.Text;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// A type nobody registered, posted to a server that accepts types without a schema, is counted under
/// <c>job_type="unknown"</c>: the intake passes the posted type and the telemetry bounds it.
/// </summary>
public sealed class IntakeMetricLabelTests
{
    private const string MadeUp = "madeUpByACaller";

    [Fact]
    public async Task AcceptedEventOfAnUnregisteredType_IsCountedAsUnknown_AndAKnownTypeByName()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("intake-labels");
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            MetricsPort = 0,
            RequireParamsSchemas = false,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(ct);
        try
        {
            using var http = new HttpClient { BaseAddress = server.BaseUrl };
            var body = $"[{EventOf(MadeUp)},{EventOf(DemoJobTypes.RefreshLinks)}]";
            using var posted = await http.PostAsync(new Uri("v1/events", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

            var lines = new List<string>();
            await Eventually.TrueAsync(async () =>
            {
                var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), ct);
                lines = [.. metrics.Split('\n').Where(l => l.StartsWith("courier_intake_events_total{", StringComparison.Ordinal))];
                return lines.Count >= 2;
            }, "both intake counter series were on /metrics", TimeSpan.FromSeconds(20));

            Assert.Contains(lines, l => l.Contains("job_type=\"unknown\"", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"job_type=\"{DemoJobTypes.RefreshLinks}\"", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(MadeUp, StringComparison.Ordinal));
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    private static string EventOf(string type) =>
        $$$"""
        {"$schema":"{{{JobEventCodec.SchemaUri}}}","meta":{"id":"{{{Guid.NewGuid()}}}","dt":"2026-01-01T00:00:00Z","stream":"mediawiki.job.{{{type}}}","domain":"en.wikipedia.org"},"database":"enwiki","type":"{{{type}}}","params":{"namespace":0,"title":"X"}}
        """;
}

using System.Net;
using System.Net.Http.Json;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Security;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>Surfaces on addresses of their own; refusal of a network address without a token; TLS.</summary>
public sealed class ListenAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SurfacesOnSeparatePorts_AnswerOnlyTheirOwnRoutes()
    {
        await using var server = await SecuredServer.StartAsync(adminListen: "127.0.0.1:0", intakeListen: "127.0.0.1:0");
        var s = server.Server;
        Assert.NotEqual(s.AdminUrl!.Port, s.IntakeUrl!.Port);
        Assert.NotEqual(s.AdminUrl.Port, s.MetricsBaseUrl!.Port);
        using var adminOnIntakePort = server.Client(SecuredServer.OperateToken, s.IntakeUrl);
        using var intakeOnAdminPort = server.Client(SecuredServer.IntakeToken, s.AdminUrl);
        using var admin = server.Client(SecuredServer.OperateToken, s.AdminUrl);
        using var anonymous = server.Client(null, s.AdminUrl);
        var events = new StringContent("[]", System.Text.Encoding.UTF8, "application/json");

        using var alertsOnIntake = await adminOnIntakePort.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var eventsOnAdmin = await intakeOnAdminPort.PostAsync(new Uri("v1/events", UriKind.Relative), events, Ct);
        using var metricsOnAdmin = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative), Ct);
        using var alertsOnAdmin = await admin.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        using var metrics = await anonymous.GetAsync(s.MetricsUrl, Ct);

        Assert.Equal(HttpStatusCode.NotFound, alertsOnIntake.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, eventsOnAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metricsOnAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alertsOnAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public void ANetworkAddressWithoutAToken_RefusesToStart_NamingTheKey()
    {
        using var data = new TempDirectory("listen");
        var config = new CourierConfig { Http = new HttpConfig { Listen = new HttpListenConfig { Admin = "0.0.0.0:0" } } };

        var e = Assert.Throws<CourierConfigException>(() => CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(data.Path), MetricsPort = 0, Config = config, Environment = _ => null, ConfigureLogging = _ => { },
        }));

        Assert.Contains("http.listen.admin", e.Message, StringComparison.Ordinal);
        Assert.Contains("auth.allow_unauthenticated_network", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANetworkAddressWithoutAToken_StartsWithTheOverride_AndWarns()
    {
        using var data = new TempDirectory("listen");
        var logs = new LogCapture();
        var config = new CourierConfig
        {
            Http = new HttpConfig { Listen = new HttpListenConfig { Admin = "0.0.0.0:0" } },
            Auth = new AuthConfig { AllowUnauthenticatedNetwork = true },
        };
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(data.Path), MetricsPort = 0, Config = config, Environment = _ => null,
            ConfigureLogging = b => b.AddProvider(logs),
        });
        await server.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = server.AdminUrl };

        using var alerts = await http.GetAsync(new Uri("v1/alerts", UriKind.Relative), Ct);
        await server.StopAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, alerts.StatusCode);
        Assert.Single(logs.Matching(5201, "admin", "0.0.0.0"));
    }

    [Fact]
    public async Task Tls_ServesAnHttpsAddress_WithTheConfiguredCertificate()
    {
        using var files = new TempDirectory("tls");
        using var ca = TestCertificateAuthority.Create("Courier admin TLS test CA");
        using var certificate = ca.IssueServer();
        var (certificateFile, keyFile) = CertificateFiles.WritePem(certificate, files);
        var config = new CourierConfig { Http = new HttpConfig { Tls = new HttpTlsConfig { Certificate = certificateFile, Key = keyFile } } };
        await using var server = await SecuredServer.StartAsync(config: config, adminListen: "https://127.0.0.1:0");
        using var https = ca.CreateClient();
        https.BaseAddress = server.Server.AdminUrl;
        https.DefaultRequestHeaders.Authorization = new("Bearer", SecuredServer.ReadToken);

        var alerts = await https.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(new Uri("v1/alerts", UriKind.Relative), Ct);

        Assert.Equal(Uri.UriSchemeHttps, server.Server.AdminUrl!.Scheme);
        Assert.Equal(Uri.UriSchemeHttp, server.Server.IntakeUrl!.Scheme);
        Assert.NotNull(alerts!["alerts"]);
    }

    [Fact]
    public void AnHttpsAddressWithoutACertificate_IsAConfigurationError()
    {
        using var data = new TempDirectory("tls");

        var e = Assert.Throws<CourierConfigException>(() => CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(data.Path), MetricsPort = 0, AdminListen = "https://127.0.0.1:0",
            Environment = _ => null, ConfigureLogging = _ => { },
        }));

        Assert.Contains("http.tls", e.Message, StringComparison.Ordinal);
    }
}

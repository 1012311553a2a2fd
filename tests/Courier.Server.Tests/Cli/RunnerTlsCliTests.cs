using System.Net;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Data;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier runner --tls-cert/--tls-key</c> and <c>courier up --runners-ca</c>.</summary>
public sealed class RunnerTlsCliTests : IDisposable
{
    private readonly TempDirectory _dir = new("runner-tls-cli");
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create("Courier CLI test CA");

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Runner_ListensOverHttps_WithThePemCertificateAndKey()
    {
        using var certificate = _ca.IssueServer();
        var (certificateFile, keyFile) = CertificateFiles.WritePem(certificate, _dir);
        using var runner = CliProcess.Start("runner", "--port", "0", "--json", "--data", _dir.Path, "--tls-cert", certificateFile, "--tls-key", keyFile);
        using var info = JsonDocument.Parse(await runner.FirstLineAsync(TimeSpan.FromSeconds(30)));
        var url = new Uri(info.RootElement.GetProperty("ready_url").GetString()!);
        using var client = _ca.CreateClient();

        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Runner_RefusesACertificateFileThatIsMissing_NamingIt()
    {
        var missing = _dir.File("absent.crt");

        var result = await CliRun.RunAsync("runner", "--port", "0", "--data", _dir.Path, "--tls-cert", missing);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"--tls-cert: certificate file '{missing}' not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_RefusesAKeyWithoutACertificate()
    {
        var result = await CliRun.RunAsync("runner", "--port", "0", "--data", _dir.Path, "--tls-key", _dir.File("runner.key"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--tls-key needs --tls-cert", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5443", "absent.pem", "--runners-ca: runner pool 'runners': CA file '{0}' not found")]
    [InlineData("https://127.0.0.1:5443,http://127.0.0.1:5080", null, "--runners: runner pool 'runners': mixes http and https URLs")]
    [InlineData(null, "absent.pem", "--runners-ca needs --runners")]
    public async Task Up_RefusesRunnerTlsSettingsThatCannotBeUsed_BeforeStarting(string? runners, string? caFile, string expected)
    {
        RunnerKeyFile.CreateIfMissing(RunnerKeyFile.DefaultPath(new CourierDataDirectory(_dir.Path)));
        var args = new List<string> { "up", "--exit-when-idle", "--metrics-port", "0", "--data", _dir.Path };
        if (runners is not null)
        {
            args.AddRange(["--runners", runners]);
        }
        if (caFile is not null)
        {
            args.AddRange(["--runners-ca", _dir.File(caFile)]);
        }

        var result = await CliRun.RunAsync([.. args]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, caFile is null ? "" : _dir.File(caFile)),
            result.Error, StringComparison.Ordinal);
    }
}

using System.Net;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary>
/// <see cref="CourierRunnerHost"/> over HTTPS with a certificate from files, on real TLS over loopback: a CA and a
/// server certificate are made at test time, and a real dispatcher (<see cref="CourierServer"/>) pins the CA.
/// </summary>
public sealed class RunnerHostHttpsTests : IDisposable
{
    private static readonly RunnerKey Key = new("tls-test", "runner-host-https-secret-0123456789");

    private readonly TempDirectory _files = new("runner-https");
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create("Courier runner host test CA");

    public void Dispose()
    {
        _ca.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task ADispatcherPinnedToTheCa_RunsAJobOnARunnerServingPemFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = _ca.IssueServer();
        var (certificateFile, keyFile) = CertificateFiles.WritePem(certificate, _files);
        using var runnerData = new TempDirectory("runner-https");
        await using var runner = CourierRunnerHost.Create(Options(runnerData, certificateFile, keyFile));
        await runner.StartAsync(ct);
        Assert.Equal(Uri.UriSchemeHttps, runner.RunnerUrl!.Scheme);

        var pool = new RunnerPoolOptions
        {
            Name = "tls-runners",
            Urls = { runner.BaseUrl! },
            SigningKey = Key,
            ExecutionLimit = CourierRunnerHostOptions.DefaultExecutionLimit,
            CaFile = _ca.WritePem(_files.File("ca.pem")),
        };
        using var serverData = new TempDirectory("runner-https");
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(serverData.Path),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
            ConfigureCourier = c => c.ConfigureDispatcher(o =>
            {
                o.RunnerPools.Add(pool);
                o.Rules.Single(r => r.Type == DemoJobTypes.MassMessage).Runner = pool.Name;
            }),
        });
        await server.StartAsync(ct);
        var job = await server.Client.EnqueueAsync(new JobRequest
        {
            Type = DemoJobTypes.MassMessage,
            Database = "metawiki",
            Params = DemoJobs.Message(simulate: new DemoSimulation { WorkMilliseconds = 1 }),
        }, ct);
        var stats = await OneMassMessage.SucceedsAsync(server, ct);
        Assert.Equal(pool.Name, stats.Executor);
        // Delivered by the runner, into the runner's own inbox: the job crossed the TLS connection.
        var inbox = await ((DemoInbox)runner.Services.GetService(typeof(DemoInbox))!).ReadAllAsync(ct);
        Assert.Equal(job.Id, Assert.Single(inbox).JobId);
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem with its key")]
    public async Task ARunnerServesACertificateFileThatHoldsItsKey(string kind)
    {
        const string password = "pfx-password-from-the-environment";
        using var certificate = _ca.IssueServer();
        var file = kind == "pfx" ? CertificateFiles.WritePkcs12(certificate, _files, password) : CertificateFiles.WritePemWithKey(certificate, _files);
        using var data = new TempDirectory("runner-https");
        // A PFX's password comes from the environment only; this class's tests run one at a time.
        Environment.SetEnvironmentVariable(CourierRunnerHostOptions.CertificatePasswordVariable, password);
        CourierRunnerHost runner;
        try
        {
            runner = CourierRunnerHost.Create(Options(data, file, keyFile: null));
        }
        finally
        {
            Environment.SetEnvironmentVariable(CourierRunnerHostOptions.CertificatePasswordVariable, null);
        }
        await using (runner)
        {
            await runner.StartAsync(TestContext.Current.CancellationToken);
            using var client = _ca.CreateClient();

            using var response = await client.GetAsync(runner.ReadyUrl, TestContext.Current.CancellationToken);

            Assert.Equal(Uri.UriSchemeHttps, runner.ReadyUrl!.Scheme);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void Create_NamesTheFile_WhenThePfxPasswordIsWrong()
    {
        using var certificate = _ca.IssueServer();
        var pfx = CertificateFiles.WritePkcs12(certificate, _files, "the real password");

        var error = Create(pfx, keyFile: null);

        Assert.StartsWith($"certificate file '{pfx}' is neither PEM nor a PKCS#12 (PFX) file that opens with the password in "
            + CourierRunnerHostOptions.CertificatePasswordVariable, error.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NamesTheFile_WhenACertificateOrKeyFileCannotBeUsed()
    {
        using var certificate = _ca.IssueServer();
        var (certificateFile, keyFile) = CertificateFiles.WritePem(certificate, _files);
        var missing = _files.File("absent.crt");

        Assert.Equal($"certificate file '{missing}' not found", Create(missing, keyFile).InnerException!.Message);
        Assert.Equal($"key file '{missing}' not found", Create(certificateFile, missing).InnerException!.Message);
        // A PEM certificate without its key, neither in a key file nor in the same file, cannot serve TLS.
        Assert.StartsWith($"certificate file '{certificateFile}' (no key file: the key must be in the same file) cannot be used",
            Create(certificateFile, keyFile: null).InnerException!.Message, StringComparison.Ordinal);
        Assert.Contains($"'{keyFile}'", Create(certificateFile: null, keyFile).Message, StringComparison.Ordinal);
    }

    private static ArgumentException Create(string? certificateFile, string? keyFile)
    {
        using var data = new TempDirectory("runner-https");
        var error = Assert.Throws<ArgumentException>(() => CourierRunnerHost.Create(Options(data, certificateFile, keyFile)));
        Assert.Equal("certificate", error.ParamName);
        return error;
    }

    /// <summary>A runner on a free loopback port, accepting <see cref="Key"/>, with these certificate files.</summary>
    private static CourierRunnerHostOptions Options(TempDirectory data, string? certificateFile, string? keyFile) => new()
    {
        Data = new CourierDataDirectory(data.Path),
        Port = 0,
        Keys = [Key],
        CertificateFile = certificateFile,
        CertificateKeyFile = keyFile,
        ConfigureLogging = _ => { },
    };
}

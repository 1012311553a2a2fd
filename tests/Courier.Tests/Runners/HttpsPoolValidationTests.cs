using Courier.Testing;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>An https pool's settings are checked at start: the CA file must load, and a pool is all http or all https.</summary>
public sealed class HttpsPoolValidationTests : IDisposable
{
    private static readonly Uri Https = new("https://127.0.0.1:5443");

    private readonly TempDirectory _directory = new("https-validation");

    private static RunnerPoolOptions Pool(string? caFile, params Uri[] urls)
    {
        var pool = HttpRunnerDispatchTests.Pool(urls);
        pool.CaFile = caFile;
        return pool;
    }

    [Fact]
    public void Validate_NamesTheCaFile_WhenItIsMissing()
    {
        var path = _directory.File("absent.pem");

        var error = Assert.Throws<ArgumentException>(Pool(path, Https).Validate);

        Assert.Equal($"runner pool 'runners': CA file '{path}' not found", error.Message);
    }

    [Theory]
    [InlineData("just some text\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    public void Validate_NamesTheCaFile_WhenItHoldsNoCertificate(string text)
    {
        var path = _directory.File("not-a-ca.pem");
        File.WriteAllText(path, text);

        var error = Assert.Throws<ArgumentException>(Pool(path, Https).Validate);

        Assert.Equal($"runner pool 'runners': CA file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", error.Message);
    }

    [Fact]
    public void Validate_NamesTheCaFile_WhenItsCertificateIsDamaged()
    {
        var path = _directory.File("damaged.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<ArgumentException>(Pool(path, Https).Validate);

        Assert.StartsWith($"runner pool 'runners': CA file '{path}' holds a certificate that cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Executor_RefusesToBuild_WithAnUnreadableCaFile_BeforeAnyRequest()
    {
        var pool = Pool(_directory.File("absent.pem"), Https);

        var error = Assert.Throws<ArgumentException>(() =>
            new HttpRunnerExecutor(pool, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Contains("absent.pem' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsAReadableCaFile()
    {
        using var ca = TestCertificateAuthority.Create("validation CA");
        Pool(ca.WritePem(_directory.File("ca.pem")), Https).Validate();
    }

    [Fact]
    public void Validate_RefusesAPoolMixingHttpAndHttps()
    {
        var error = Assert.Throws<ArgumentException>(Pool(null, Https, new Uri("http://127.0.0.1:5080")).Validate);

        Assert.Equal("runner pool 'runners': mixes http and https URLs; use https for every runner of the pool, or make two pools", error.Message);
    }

    [Fact]
    public void Validate_RefusesACaFileForHttpUrls()
    {
        using var ca = TestCertificateAuthority.Create("validation CA");
        var pool = Pool(ca.WritePem(_directory.File("ca.pem")), new Uri("http://127.0.0.1:5080"));

        var error = Assert.Throws<ArgumentException>(pool.Validate);

        Assert.Equal("runner pool 'runners': a CA file is set but the URLs are http; the CA applies to https runners only", error.Message);
    }

    public void Dispose() => _directory.Dispose();
}

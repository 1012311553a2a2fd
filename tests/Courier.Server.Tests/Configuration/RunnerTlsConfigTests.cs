using Courier.Server.Configuration;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>A runner pool's <c>ca_file</c>: read when the file is loaded, so a bad CA file is an error naming it and its key.</summary>
public sealed class RunnerTlsConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("tls-config");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_ReadsTheCaFile_OfAnHttpsPool()
    {
        using var ca = TestCertificateAuthority.Create("config CA");
        var caFile = ca.WritePem(_directory.File("ca.pem"));
        var dispatcher = new DispatcherOptions();

        CourierConfigFile.Load(Write($"runners:\n  secure:\n    urls: [https://10.0.0.1:5443]\n    ca_file: '{caFile}'\n"))
            .ApplyTo(new CourierOptions(), dispatcher);

        Assert.Equal(caFile, Assert.Single(dispatcher.RunnerPools).CaFile);
    }

    [Theory]
    [InlineData("absent.pem", null, "not found")]
    [InlineData("text.pem", "no certificate here\n", "holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    public void Load_NamesTheKeyAndTheFile_WhenTheCaFileCannotBeUsed(string name, string? content, string expected)
    {
        var caFile = _directory.File(name);
        if (content is not null)
        {
            File.WriteAllText(caFile, content);
        }
        var path = Write($"runners:\n  secure:\n    urls: [https://10.0.0.1:5443]\n    ca_file: '{caFile}'\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.StartsWith($"{path}: runners.secure.ca_file: CA file '{caFile}' {expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesAPoolMixingHttpAndHttps()
    {
        var path = Write("runners:\n  mixed: { urls: [https://10.0.0.1:5443, http://10.0.0.2:5080] }\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.StartsWith($"{path}: dispatcher: runner pool 'mixed': mixes http and https URLs", e.Message, StringComparison.Ordinal);
    }

    private string Write(string text)
    {
        var path = _directory.File("config.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}

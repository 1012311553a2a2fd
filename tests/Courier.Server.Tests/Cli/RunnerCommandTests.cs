using System.Net;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier runner</c> as a separate process, driven over HTTP as a dispatcher would.</summary>
public sealed class RunnerCommandTests
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Runner_CreatesADevKeyFile_DeliversASignedMassMessageIntoTheInbox_AndExitsZeroOnSigterm()
    {
        using var dir = new TempDirectory("runner-cli");
        using var runner = CliProcess.Start("runner", "--port", "0", "--json", "--data", dir.Path);
        using var info = JsonDocument.Parse(await runner.FirstLineAsync(StartWithin));
        var root = info.RootElement;
        var url = new Uri(root.GetProperty("url").GetString()!);
        var keysFile = root.GetProperty("keys_file").GetString()!;

        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal(RunnerProtocol.DefaultPath, url.AbsolutePath);
        Assert.Equal(RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path)), keysFile);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keysFile));
        }
        var key = Assert.Single(RunnerKeySource.FromFile(keysFile).Keys);
        Assert.Equal([key.Id], root.GetProperty("key_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(DemoJobTypes.All.Order(StringComparer.Ordinal), root.GetProperty("job_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(20_000, root.GetProperty("execution_limit_ms").GetInt64());

        using var client = new HttpClient();
        var jobId = Guid.NewGuid().ToString();
        using (var response = await PostAsync(client, url, MassMessage(jobId), key))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal("20000", Assert.Single(response.Headers.GetValues(RunnerProtocol.ExecutionLimitHeader)));
        }
        using (var unsigned = await PostAsync(client, url, MassMessage(Guid.NewGuid().ToString()), key: null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        }

        // The same inbox file `courier up` reconciles against.
        await using (var inbox = DemoInbox.Open(new CourierDataDirectory(dir.Path).InboxPath))
        {
            var row = Assert.Single(await inbox.ReadAllAsync(TestContext.Current.CancellationToken));
            Assert.Equal(jobId, row.JobId);
        }
        var metrics = await client.GetStringAsync(new Uri(root.GetProperty("metrics_url").GetString()!), TestContext.Current.CancellationToken);
        Assert.Contains("courier_runner_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("job_type=\"massMessage\"", metrics, StringComparison.Ordinal);
        Assert.Contains("courier_runner_signature_rejections_total{otel_scope_name=\"Courier.Runner\",reason=\"missing\"} 1", metrics, StringComparison.Ordinal);
        using (var ready = await client.GetAsync(new Uri(root.GetProperty("ready_url").GetString()!), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await runner.TerminateAsync();
        Assert.Equal(ExitCodes.Ok, await runner.WaitForExitAsync(StartWithin));
        Assert.Contains("Courier runner stopped.", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("signature missing", runner.Stderr, StringComparison.Ordinal); // the 403 was logged
    }

    [Fact]
    public async Task Runner_SignsWithTheKeysFile_WhenGiven_AndRefusesOtherKeys()
    {
        using var dir = new TempDirectory("runner-cli");
        var keysFile = dir.File("keys");
        UnixFiles.WriteOwnerOnly(keysFile, "new=new-secret-0123456789abcdef\nold=old-secret-0123456789abcdef\n");
        using var runner = CliProcess.Start("runner", "--port", "0", "--data", dir.Path, "--keys-file", keysFile, "--execution-limit", "5");
        var url = new Uri(await runner.FirstLineAsync(StartWithin));
        using var client = new HttpClient();

        using var old = await PostAsync(client, url, HtmlCacheUpdate(), new RunnerKey("old", "old-secret-0123456789abcdef"));
        using var stranger = await PostAsync(client, url, HtmlCacheUpdate(), new RunnerKey("dev", "some-other-secret-0123456789"));

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal("5000", Assert.Single(old.Headers.GetValues(RunnerProtocol.ExecutionLimitHeader)));
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Contains("key id 'dev' is not one of this runner's keys", await stranger.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(File.Exists(RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path))), "no development key when a keys file is given");
        await runner.TerminateAsync();
        Assert.Equal(ExitCodes.Ok, await runner.WaitForExitAsync(StartWithin));
    }

    [Fact]
    public async Task Runner_ReportsAMissingKeysFile_AsADataFileError()
    {
        using var dir = new TempDirectory("runner-cli");

        var result = await CliRun.RunAsync("runner", "--port", "0", "--data", dir.Path, "--keys-file", dir.File("nope"));

        Assert.Equal(ExitCodes.DataFile, result.ExitCode);
        Assert.Contains(dir.File("nope"), result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--kafka", "dev")]
    [InlineData("--host", "not-an-address")]
    [InlineData("--port", "70000")]
    [InlineData("--execution-limit", "0")]
    public async Task Runner_RefusesBadUsage(string option, string value)
    {
        using var dir = new TempDirectory("runner-cli");

        var result = await CliRun.RunAsync("runner", "--data", dir.Path, option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    private static byte[] MassMessage(string id) => Encode(DemoJobTypes.MassMessage, JsonSerializer.SerializeToElement(DemoJobs.Message(), DemoJobs.ParamsOptions), id);

    private static byte[] HtmlCacheUpdate() => Encode(DemoJobTypes.HtmlCacheUpdate,
        JsonSerializer.SerializeToElement(new HtmlCacheUpdateParams { Table = "templatelinks", Title = new PageTitle(10, "Navbox") }, DemoJobs.ParamsOptions), Guid.NewGuid().ToString());

    private static byte[] Encode(string type, JsonElement parameters, string id) => new JobEventCodec(new CourierOptions()).Encode(new JobEvent
    {
        Meta = new JobMeta { Id = id, Dt = DateTimeOffset.UtcNow },
        Database = "testwiki",
        Type = type,
        Params = parameters,
    });

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri url, byte[] body, RunnerKey? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(RunnerProtocol.AttemptHeader, "1");
        if (key is not null)
        {
            RunnerRequestSigner.Sign(request, key, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        }
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

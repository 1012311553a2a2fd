using Courier.Testing;
using Courier.Tests.Dispatching;
using Xunit;
using static Courier.Tests.Runners.HttpRunnerDispatchTests;

namespace Courier.Tests.Runners;

/// <summary>
/// Runner pools over HTTPS, on real TLS over loopback: a stand-in runner on Kestrel with a certificate issued at test
/// time by a throwaway CA, and a real dispatcher that pins (or does not pin) that CA.
/// </summary>
public sealed class HttpsRunnerTests : IDisposable
{
    private readonly TempDirectory _directory = new("https-runners");
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create("Courier test runners CA");
    private readonly TestCertificateAuthority _otherCa = TestCertificateAuthority.Create("Some other CA");

    private RunnerPoolOptions PinnedPool(TestCertificateAuthority ca, params Uri[] urls)
    {
        var pool = Pool(urls);
        pool.CaFile = ca.WritePem(_directory.File(Guid.NewGuid().ToString("N") + ".pem"));
        return pool;
    }

    [Fact]
    public async Task PinnedCa_RunsJobsOnAnHttpsRunner()
    {
        using var certificate = _ca.IssueServer();
        await using var runner = await StandInRunner.StartAsync(certificate: certificate);
        await using var h = Harness.Sqlite(Options(PinnedPool(_ca, runner.BaseUrl), Rule("alpha", limit: 0)));
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 5).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(Uri.UriSchemeHttps, runner.BaseUrl.Scheme);
        Assert.Equal(jobs.Select(j => j.Id).Order(), runner.Requests.Select(r => r.JobId).Order());
        Assert.All(runner.Requests, r => Assert.True(r.SignatureValid));
        Assert.Equal(5, h.Dispatcher.GetStats().Single().Succeeded);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public Task WithoutThePin_TheSystemRootsRefuseTheRunner_AndTheJobIsRetriedAsAConnectFailure() =>
        AssertRefusedAsync(url => Pool(url));

    [Fact]
    public Task PinnedToAnotherCa_TheRunnerIsRefused_EvenThoughItsOwnCaIsValid() =>
        AssertRefusedAsync(url => PinnedPool(_otherCa, url));

    [Fact]
    public async Task PinnedCa_StillChecksTheHostName()
    {
        using var certificate = _ca.IssueServer("runner.example");
        await using var runner = await StandInRunner.StartAsync(certificate: certificate);
        await using var h = Harness.Sqlite(Options(PinnedPool(_ca, runner.BaseUrl), Rule("alpha", limit: 0)));
        var job = Assert.Single(await h.EnqueueAsync("alpha", [new TestParams("wrong name")]));
        await h.StartAsync();
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(job.Id, letter.JobId);
        Assert.Equal(FailureClass.Retryable, letter.Class);
        Assert.Contains("RemoteCertificateNameMismatch", letter.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Requests);
    }

    [Fact]
    public async Task ARefusedCertificate_FailsOverToTheNextRunner_WithoutSpendingAnAttempt()
    {
        using var foreign = _otherCa.IssueServer();
        using var trusted = _ca.IssueServer();
        await using var impostor = await StandInRunner.StartAsync(certificate: foreign);
        await using var runner = await StandInRunner.StartAsync(certificate: trusted);
        await using var h = Harness.Sqlite(Options(PinnedPool(_ca, impostor.BaseUrl, runner.BaseUrl), Rule("alpha", limit: 0)));
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 6).Select(i => new TestParams($"j{i}")));
        await h.StartAsync();
        await h.WaitIdleAsync();

        // Retry limit 0: a TLS refusal is a connect failure (nothing was sent), so each job went on to the trusted runner.
        Assert.Equal(jobs.Select(j => j.Id).Order(), runner.Requests.Select(r => r.JobId).Order());
        Assert.All(runner.Requests, r => Assert.Equal(1, r.Attempt));
        Assert.Empty(impostor.Requests);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    /// <summary>
    /// One job for a runner whose certificate <paramref name="pool"/> does not trust: retried once (limit 1) as a
    /// connect failure, then dead-lettered as retryable with the runner's URL and the TLS reason; nothing reached the runner.
    /// </summary>
    private async Task AssertRefusedAsync(Func<Uri, RunnerPoolOptions> pool)
    {
        using var certificate = _ca.IssueServer();
        await using var runner = await StandInRunner.StartAsync(certificate: certificate);
        await using var h = Harness.Sqlite(Options(pool(runner.BaseUrl), Rule("alpha", limit: 1)));
        var job = Assert.Single(await h.EnqueueAsync("alpha", [new TestParams("refused")]));
        await h.StartAsync();
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(job.Id, letter.JobId);
        Assert.Equal(FailureClass.Retryable, letter.Class);
        Assert.Equal(2, letter.Attempts);
        Assert.StartsWith($"runner {Endpoint(runner)}: cannot connect", letter.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", letter.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(runner.Requests);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _directory.Dispose();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// samples/Shop and samples/Shop.Runner built from the packed packages, started as a user would start them, sent an
/// order, and seen to finish its jobs: <c>sendReceipt</c> in the shop's own dispatcher, <c>renderInvoice</c> on the
/// runner over signed HTTP. docs/getting-started.md walks the same path by hand.
/// </summary>
public sealed class SampleAppTests(PackedFeed feed)
{
    [Fact]
    public async Task Shop_BuiltFromThePackages_RunsAnOrdersJobsInProcessAndOnTheRunner_AndStopsCleanly()
    {
        using var workspace = new SampleAppWorkspace();
        var (exitCode, output) = await workspace.BuildAsync(feed);
        Assert.True(exitCode == 0, $"the sample did not build from the packed packages (exit {exitCode}):\n{output}");

        // Dispatcher and runner share one signing key, from the environment (docs/runners.md).
        string[] keys = ["COURIER_RUNNER_KEYS=sample=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))];
        var data = "--Shop:DataDirectory=" + workspace.Data;
        using var runner = await SampleAppProcess.StartAsync(workspace, "Shop.Runner", keys, [data]);
        using var shop = await SampleAppProcess.StartAsync(workspace, "Shop", keys, [data, "--Shop:RunnerUrl=" + runner.BaseUrl]);
        using var http = new HttpClient();
        await WaitHealthyAsync(http, new Uri(runner.BaseUrl!, "/health/ready"), runner);
        await WaitHealthyAsync(http, new Uri(shop.BaseUrl!, "/health"), shop);

        var order = new
        {
            customer = "Ada",
            email = "ada@example.org",
            lines = new[] { new { product = "teapot", quantity = 2, unitPrice = 12.5m }, new { product = "cup", quantity = 4, unitPrice = 3m } },
        };
        using var placed = await http.PostAsJsonAsync(new Uri(shop.BaseUrl!, "/orders"), order, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var location = placed.Headers.Location ?? throw new InvalidOperationException("POST /orders gave no Location");

        JsonElement shown = default;
        await Eventually.TrueAsync(async () =>
            {
                shown = await http.GetFromJsonAsync<JsonElement>(new Uri(shop.BaseUrl!, location), TestContext.Current.CancellationToken);
                return shown.GetProperty("complete").GetBoolean();
            },
            "the order's receipt (in-process job) and invoice (runner job) are written", TimeSpan.FromMinutes(2),
            () => ValueTask.FromResult($"{shown}\n{shop.Process.Tail(30, "shop")}{runner.Process.Tail(30, "runner")}"));
        Assert.Contains("Total: 37.00", shown.GetProperty("receipt").GetString(), StringComparison.Ordinal);
        // Only Shop.Runner has a renderInvoice handler (the shop's rule sends the type to its pool), so an invoice is the
        // runner's work; its log line may still be on its way when the file is there.
        Assert.Contains("2 x teapot @ 12.50 = 25.00", shown.GetProperty("invoice").GetString(), StringComparison.Ordinal);

        Assert.True(await shop.StopAsync() == 0, "the shop did not exit 0 on SIGTERM:\n" + shop.Process.Tail());
        Assert.True(await runner.StopAsync() == 0, "the runner did not exit 0 on SIGTERM:\n" + runner.Process.Tail());
    }

    private static async Task WaitHealthyAsync(HttpClient http, Uri url, SampleAppProcess app)
    {
        var last = "";
        await Eventually.TrueAsync(async () =>
            {
                try
                {
                    using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}";
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException e)
                {
                    last = e.Message;
                    return false;
                }
            },
            $"{app.Name} answers 200 at {url}", TimeSpan.FromMinutes(2), () => ValueTask.FromResult($"{last}\n{app.Process.Tail()}"));
    }
}

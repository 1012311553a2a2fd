using System.Text.RegularExpressions;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Courier.Browser.Tests;

/// <summary>The overview with 200 job types: every row listed, and the rows still refreshed in place.</summary>
public sealed class ScaleTests
{
    private const int Types = 200;

    [Fact]
    public async Task Overview_With200Types_ListsEveryRow_AndKeepsThemLive()
    {
        using var dir = new TempDirectory("console-scale");
        var handler = new FlakyHandler { Broken = false };
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Demo = false,
            RequireParamsSchemas = false,
            MetricsPort = 0,
            ConfigureLogging = _ => { },
            ConfigureCourier = c =>
            {
                for (var i = 0; i < Types; i++)
                {
                    var type = $"type{i:000}";
                    c.AddHandler(type, handler).ConfigureDispatcher(o => o.Rules.Add(new JobRule { Type = type }));
                }
            },
        });
        await server.StartAsync(TestContext.Current.CancellationToken);
        var (playwright, browser) = await Chromium.LaunchAsync();
        using (playwright)
        await using (browser)
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl!.ToString() });
            await page.GotoAsync("/ui");
            await Expect(page.Locator("#types tbody tr")).ToHaveCountAsync(Types);
            var last = page.Locator($"#types tr[data-type=type{Types - 1:000}] td[data-count=succeeded]");
            await Expect(last).ToHaveTextAsync("0");

            await server.Client.EnqueueAsync(new JobRequest { Type = $"type{Types - 1:000}", Database = "testwiki", Params = new { } },
                TestContext.Current.CancellationToken);

            // The job ran and the 2 s poll brought the row up to date, without a reload.
            await Expect(last).ToHaveTextAsync(new Regex("^1$"), new() { Timeout = 30_000 });
            await Expect(page.Locator("#types tbody tr")).ToHaveCountAsync(Types);
        }
        await server.StopAsync(TestContext.Current.CancellationToken);
    }
}

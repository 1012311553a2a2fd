using System.Buffers.Binary;
using Courier.Server.Demo;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Courier.Browser.Tests;

/// <summary>
/// The screenshots in docs/images and the README: the overview and the dead-letter browser after the demo traffic, at
/// 1280×800. Written to <c>COURIER_SCREENSHOT_DIR</c> when set (e.g. <c>docs/images</c>), else to a temporary folder.
/// </summary>
public sealed class ConsoleScreenshots(SqliteConsole console) : IClassFixture<SqliteConsole>
{
    [Fact]
    public async Task OverviewAndDeadLetters_AreCaptured()
    {
        var dir = Environment.GetEnvironmentVariable("COURIER_SCREENSHOT_DIR") is { Length: > 0 } target ? target : Directory.CreateTempSubdirectory("console-shots").FullName;
        Directory.CreateDirectory(dir);
        var page = await console.NewPageAsync();

        await page.GotoAsync("/ui");
        await Expect(page.Locator(".chart .uplot")).ToHaveCountAsync(3);
        // Samples of history (one per 10 s) to draw: 2 at least, so the charts draw lines rather than points; for the
        // docs, COURIER_SCREENSHOT_SAMPLES more, with a batch of demo traffic after each chart update.
        var samples = int.TryParse(Environment.GetEnvironmentVariable("COURIER_SCREENSHOT_SAMPLES"), out var wanted) ? Math.Max(wanted, 2) : 2;
        for (var seed = 1; ; seed++)
        {
            var drawn = await page.Locator("body").GetAttributeAsync("data-charts-updated");
            if (int.TryParse(drawn, out var n) && n >= samples)
            {
                break;
            }
            if (samples > 2)
            {
                await DemoWorkload.Create(40 + seed * 7 % 30, seed: seed, maxWorkMilliseconds: 5, paramsOptions: console.Server.CourierOptions.ParamsSerializerOptions)
                    .EnqueueAsync(console.Server.Client, cancellationToken: TestContext.Current.CancellationToken);
            }
            await page.WaitForFunctionAsync("drawn => document.body.getAttribute('data-charts-updated') !== drawn", drawn,
                new() { Timeout = 60_000 });
        }
        var overview = Path.Combine(dir, "console-overview.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = overview });

        await page.GotoAsync("/ui/dead-letters");
        await Expect(page.Locator("#dead-letters tbody tr").First).ToBeVisibleAsync();
        var deadLetters = Path.Combine(dir, "console-dead-letters.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = deadLetters });

        Assert.Equal((1280, 800), PngSize(overview));
        Assert.Equal((1280, 800), PngSize(deadLetters));
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var header = File.ReadAllBytes(path).AsSpan(0, 24);
        return (BinaryPrimitives.ReadInt32BigEndian(header[16..]), BinaryPrimitives.ReadInt32BigEndian(header[20..]));
    }
}

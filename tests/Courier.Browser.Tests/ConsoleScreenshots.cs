using System.Buffers.Binary;
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
        // Two samples of history at least, so the charts draw lines rather than points.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-charts-updated", new System.Text.RegularExpressions.Regex("^([2-9]|[1-9][0-9]+)$"),
            new() { Timeout = 90_000 });
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

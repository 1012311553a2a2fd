using Microsoft.Playwright;

namespace Courier.Browser.Tests;

/// <summary>
/// Debian's chromium driven by Playwright (Playwright's own browser download cannot work here): the node driver the
/// Microsoft.Playwright package copies beside the tests, and the system executable, <c>/usr/bin/chromium</c> unless
/// <c>COURIER_CHROMIUM</c> names another.
/// </summary>
internal static class Chromium
{
    /// <summary>The executable.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("COURIER_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Flags for a quiet, headless browser in a container: no sandbox, GPU, QUIC, first-run or background traffic.</summary>
    public static readonly IReadOnlyList<string> Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Starts Playwright's driver and launches the browser.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"no chromium at {ExecutablePath}: scripts/test.sh installs Debian's chromium (or set COURIER_CHROMIUM)");
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = Args });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}

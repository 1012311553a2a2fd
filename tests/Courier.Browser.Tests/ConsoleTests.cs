using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Server.Downtimes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Courier.Browser.Tests;

/// <summary>
/// The console in a real browser against a real dispatcher service (once per engine): what an operator does during
/// an incident. Every wait is one of Playwright's auto-waiting assertions on the page, never a sleep.
/// </summary>
public abstract class ConsoleTests<TFixture>(TFixture console) where TFixture : ConsoleFixture
{
    protected TFixture Console { get; } = console;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Overview_ShowsTheDemoTypes_WithTheCountsOfTheApi()
    {
        using var types = JsonDocument.Parse(await Console.Http.GetStringAsync("/v1/types", Ct));
        var page = await Console.NewPageAsync();

        var listed = types.RootElement.GetProperty("types").EnumerateArray().ToList();
        Assert.Contains(listed, t => t.GetProperty("type").GetString() == "massMessage");
        Assert.Contains(listed, t => t.GetProperty("type").GetString() == "htmlCacheUpdate");
        Assert.Contains(listed, t => t.GetProperty("type").GetString() == "refreshLinks");
        // The demo's recurring job adds an htmlCacheUpdate job every 10 s, so counts read from the API once may be behind
        // the page by then. The page is rendered between two reads of the API; every count it shows must lie between them.
        string? seen = null;
        await Eventually.TrueAsync(async () =>
        {
            var before = await ApiCountsAsync();
            await page.GotoAsync("/ui");
            var shown = new Dictionary<(string Type, string Count), long>();
            foreach (var key in before.Keys)
            {
                var text = await page.Locator($"#types tr[data-type='{key.Type}'] td[data-count={key.Count}]").TextContentAsync();
                shown[key] = long.Parse(text ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            }
            var after = await ApiCountsAsync();
            var mismatches = new List<string>();
            foreach (var (key, low) in before)
            {
                if (shown[key] < low || shown[key] > after[key])
                {
                    mismatches.Add($"{key.Type} {key.Count}: page {shown[key]}, API {low}..{after[key]}");
                }
            }
            seen = string.Join("; ", mismatches);
            return mismatches.Count == 0;
        }, "the console's counts are the API's", state: () => ValueTask.FromResult(seen ?? ""));
        Assert.True(listed.Sum(t => t.GetProperty("counts").GetProperty("dead_lettered").GetInt64()) > 1, "the demo traffic left dead letters");
        // The charts drew from GET /v1/types/history.
        await Expect(page.Locator(".chart .uplot")).ToHaveCountAsync(3);

        // A type's page: its rule, counts and charts.
        await page.Locator("#types tr[data-type=massMessage] td a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("massMessage");
        var massMessage = listed.Single(t => t.GetProperty("type").GetString() == "massMessage");
        await Expect(page.Locator("#summary [data-count=succeeded]")).ToHaveTextAsync(Count(massMessage.GetProperty("counts").GetProperty("succeeded").GetInt64()));
        await Expect(page.Locator("table.kv", new() { HasText = "Concurrency" })).ToContainTextAsync(
            massMessage.GetProperty("rule").GetProperty("concurrency").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator(".chart .uplot")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task DeadLetter_IsFoundInspectedAndReplayed_AndTheReplayedJobsOutcomeAppears()
    {
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/ui/dead-letters");
        await page.GetByLabel("Job id").FillAsync(Console.FlakyJobId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#matching")).ToHaveTextAsync("1");
        await page.Locator("#dead-letters tbody tr").First.GetByRole(AriaRole.Link, new() { Name = Console.FlakyJobId }).ClickAsync();

        await Expect(page.Locator("#original-event")).ToContainTextAsync("Flaky_page");
        await Expect(page.Locator("#headers")).ToContainTextAsync(FlakyHandler.Type);
        Console.Flaky.Broken = false;
        await page.Locator("[data-action=replay-dry-run]").ClickAsync();
        await Expect(page.Locator("#replay")).ToContainTextAsync("Dry run");
        Assert.Equal(0, Stats().Replayed); // the dry run wrote nothing
        await page.Locator("[data-action=replay-confirm]").ClickAsync();

        await Expect(page.Locator("#replay-status")).ToHaveAttributeAsync("data-outcome", "succeeded");
        Assert.Equal(1, Stats().Replayed);
        Assert.Equal(1, Stats().Succeeded);
    }

    [Fact]
    public async Task DeadLetters_ArePagedByCursor_NewestFirst()
    {
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/ui/dead-letters?limit=2");
        var rows = page.Locator("#dead-letters tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var first = await rows.AllInnerTextsAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "First page" })).ToBeVisibleAsync();
        await Expect(rows.First).Not.ToHaveTextAsync(first[0]);
        var second = await rows.AllInnerTextsAsync();
        Assert.Empty(second.Intersect(first));

        await page.GetByRole(AriaRole.Link, new() { Name = "First page" }).ClickAsync();
        await Expect(rows.First).ToHaveTextAsync(first[0]);
    }

    [Fact]
    public async Task Downtime_IsAddedAndCancelled()
    {
        var comment = "console test " + Guid.NewGuid().ToString("N")[..6];
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/ui/alerts");
        var add = page.Locator("#add-downtime");
        await add.GetByLabel("Hosts").FillAsync("mw13*");
        await add.GetByLabel("Duration").FillAsync("90m");
        await add.GetByLabel("Comment").FillAsync(comment);
        await add.GetByRole(AriaRole.Button, new() { Name = "Add downtime" }).ClickAsync();

        var row = page.Locator("#downtime-list tr", new() { HasText = comment });
        await Expect(row).ToHaveCountAsync(1);
        var stored = Store().List(includeEnded: false).Single(d => d.Comment == comment);
        Assert.Equal("mw13*", stored.Hosts);
        Assert.Equal(TimeSpan.FromMinutes(90), stored.EndsAt - stored.StartsAt);

        await row.Locator("[data-action=cancel-downtime]").ClickAsync();
        await Expect(page.Locator("#downtimes .notice")).ToContainTextAsync("Cancelled 1 downtime");
        await Expect(row).ToHaveCountAsync(0);
        Assert.DoesNotContain(Store().List(includeEnded: false), d => d.Comment == comment);
    }

    [Fact]
    public async Task PauseAndResume_FromTheOverview_AreWhatTheApiShows()
    {
        var page = await Console.NewPageAsync();
        await page.GotoAsync("/ui");
        var row = page.Locator("#types tr[data-type=refreshLinks]");
        await row.Locator("[data-action=pause]").ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("paused");
        Assert.Equal("paused", await StateInApiAsync("refreshLinks"));

        await row.Locator("[data-action=resume]").ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("running");
        Assert.Equal("running", await StateInApiAsync("refreshLinks"));
    }

    private async Task<string?> StateInApiAsync(string type)
    {
        using var json = JsonDocument.Parse(await Console.Http.GetStringAsync($"/v1/types/{type}", Ct));
        var root = json.RootElement.TryGetProperty("type", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : json.RootElement;
        return root.GetProperty("state").GetString();
    }

    private JobTypeStats Stats() => Console.Server.Dispatcher.GetStats().Single(s => s.Type == FlakyHandler.Type);

    private DowntimeStore Store() => (DowntimeStore)Console.Server.Services.GetRequiredService<IDowntimeReader>();

    /// <summary>The succeeded and dead-lettered counts of every job type, from <c>GET /v1/types</c>.</summary>
    private async Task<Dictionary<(string Type, string Count), long>> ApiCountsAsync()
    {
        using var types = JsonDocument.Parse(await Console.Http.GetStringAsync("/v1/types", Ct));
        var counts = new Dictionary<(string, string), long>();
        foreach (var type in types.RootElement.GetProperty("types").EnumerateArray())
        {
            foreach (var count in (string[])["succeeded", "dead_lettered"])
            {
                counts[(type.GetProperty("type").GetString()!, count)] = type.GetProperty("counts").GetProperty(count).GetInt64();
            }
        }
        return counts;
    }

    private static Regex Count(long count) => new("^" + Regex.Escape(count.ToString("#,0", CultureInfo.InvariantCulture)) + "$");
}

/// <summary>The console's scenarios on the embedded engine.</summary>
public sealed class SqliteConsoleTests(SqliteConsole console) : ConsoleTests<SqliteConsole>(console), IClassFixture<SqliteConsole>;

/// <summary>The console's scenarios on Kafka.</summary>
public sealed class KafkaConsoleTests(KafkaConsole console) : ConsoleTests<KafkaConsole>(console), IClassFixture<KafkaConsole>;

using Courier.Cli.Rendering;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier up</c>'s live view marks a paused type and says since when and why.</summary>
public sealed class LiveViewPausedTests
{
    [Theory]
    [InlineData(120)]
    [InlineData(30)]
    public void LiveView_MarksAPausedType_AndSaysSinceWhenAndWhy(int width)
    {
        var paused = new JobTypeStats
        {
            Type = "massMessage", Paused = true, PauseReason = "breaker open",
            PausedSince = new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero),
        };
        var text = Render(width, new TypeProgress(paused, 0, 12), new TypeProgress(new JobTypeStats { Type = "refreshLinks" }, 5, 0));

        Assert.Contains("massMessage (paused)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refreshLinks (paused)", text, StringComparison.Ordinal);
        Assert.Contains("massMessage paused since 2026-12-05 03:00:00Z (breaker open): its jobs wait in the log", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(120)]
    [InlineData(30)]
    public void LiveView_MarksATypeWhoseBreakerIsOpenOrHalfOpen(int width)
    {
        var open = new JobTypeStats
        {
            Type = "massMessage", Paused = true, BreakerState = "open", PauseReason = "breaker: 37 of 40 attempts failed in 1m (top: Title Special: is invalid)",
            PausedSince = new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero),
        };
        var text = Render(width, new TypeProgress(open, 0, 12),
            new TypeProgress(new JobTypeStats { Type = "refreshLinks", BreakerState = "half_open" }, 5, 0));

        Assert.Contains("massMessage (breaker open)", text, StringComparison.Ordinal);
        Assert.Contains("refreshLinks (breaker half-open)", text, StringComparison.Ordinal);
        Assert.Contains("(top: Title Special: is invalid)): its jobs wait in the log; breaker open", text, StringComparison.Ordinal);
        Assert.Contains("refreshLinks; breaker half-open: a few jobs run on trial", text, StringComparison.Ordinal);
    }

    /// <summary>The live view of a running snapshot of <paramref name="types"/>, as plain text.</summary>
    private static string Render(int width, params TypeProgress[] types) => LiveViewText.Of(
        new ProgressSnapshot { Elapsed = TimeSpan.FromSeconds(3), Phase = "running", DataDirectory = "courier-data", Types = types },
        width, consoleWidth: 200);
}

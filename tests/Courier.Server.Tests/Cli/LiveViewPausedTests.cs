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
        var snapshot = new ProgressSnapshot
        {
            Elapsed = TimeSpan.FromSeconds(3),
            Phase = "running",
            DataDirectory = "courier-data",
            Types = [new TypeProgress(paused, 0, 12), new TypeProgress(new JobTypeStats { Type = "refreshLinks" }, 5, 0)],
        };
        var text = LiveViewText.Of(snapshot, width, consoleWidth: 200);
        Assert.Contains("massMessage (paused)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refreshLinks (paused)", text, StringComparison.Ordinal);
        Assert.Contains("massMessage paused since 2026-12-05 03:00:00Z (breaker open): its jobs wait in the log", text, StringComparison.Ordinal);
    }
}

using Courier.Cli.Rendering;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier up</c>'s live view shows a line per probed type: ok, failing (message and release) or missing.</summary>
public sealed class LiveViewProbesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LiveView_ShowsEachProbedType_OkFailingOrMissing()
    {
        var snapshot = new ProgressSnapshot
        {
            Elapsed = TimeSpan.FromSeconds(3),
            Phase = "running",
            DataDirectory = "courier-data",
            Types = [new TypeProgress(new JobTypeStats { Type = "refreshLinks" }, 5, 0)],
            TakenAt = Now,
            Probes =
            [
                new ProbeStatus { Type = "htmlCacheUpdate", Succeeded = 3, LastRun = Now.AddSeconds(-4), LastRelease = "r1" },
                new ProbeStatus
                {
                    Type = "massMessage", Failed = 2, ConsecutiveFailures = 2, LastRun = Now, LastFailure = Now,
                    LastFailureMessage = "Title Special: is invalid", LastFailureRelease = "r2",
                },
                new ProbeStatus { Type = "refreshLinks", Missing = true },
            ],
        };
        var text = LiveViewText.Of(snapshot, 120, consoleWidth: 200);
        Assert.Contains("probe htmlCacheUpdate: ok 4s ago on release r1 (3 ok, 0 failed)", text, StringComparison.Ordinal);
        Assert.Contains("probe massMessage: FAILING, 2 in a row on release r2: Title Special: is invalid (0 ok, 2 failed)", text, StringComparison.Ordinal);
        Assert.Contains("probe refreshLinks: MISSING, no result for three intervals", text, StringComparison.Ordinal);
    }
}

using Courier.Cli.Rendering;
using Courier.Server.Alerting;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier up</c>'s live view shows the watcher's firing alerts under the per-type table.</summary>
public sealed class LiveViewAlertsTests
{
    [Fact]
    public void LiveView_ShowsFiringAlerts_UnderTheTypeTable()
    {
        var snapshot = new ProgressSnapshot
        {
            Elapsed = TimeSpan.FromSeconds(3),
            Phase = "running",
            DataDirectory = "courier-data",
            Types = [],
            Alerts =
            [
                new Alert
                {
                    Name = "CourierJobTypeFailing", State = AlertState.Firing, Summary = "Jobs of type flaky are failing (100% over 1m)",
                    Labels = new Dictionary<string, string> { ["alertname"] = "CourierJobTypeFailing", ["severity"] = "page", ["job_type"] = "flaky" },
                    Since = DateTimeOffset.UnixEpoch,
                },
            ],
        };
        var text = LiveViewText.Of(snapshot, 120, consoleWidth: 120);
        Assert.Contains("1 alert firing", text, StringComparison.Ordinal);
        Assert.Contains("CourierJobTypeFailing (page): Jobs of type flaky are failing (100% over 1m)", text, StringComparison.Ordinal);
    }
}

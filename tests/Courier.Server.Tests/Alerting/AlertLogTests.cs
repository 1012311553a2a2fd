using Courier.Server.Alerting;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>The watcher's log shows every alert that starts firing (page at error, ticket at warning) and every end.</summary>
public sealed class AlertLogTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewlyFiringAlerts_AreLoggedOnce_ByTheirSeverity_AndTheirEndAtInformation()
    {
        using var log = new LogCapture();
        var logger = log.CreateLogger("watcher");
        var page = Firing("CourierJobTypeFailing", "page", "massMessage");
        var ticket = Firing("CourierDeadLettersGrowing", "ticket", "refreshLinks");

        AlertLog.Changes(logger, [], [page, ticket]);
        AlertLog.Changes(logger, [page, ticket], [page, ticket]);
        AlertLog.Changes(logger, [page, ticket], [ticket, page with { State = AlertState.Resolved, ResolvedAt = Since.AddMinutes(3) }]);

        var entries = log.Entries;
        Assert.Equal(3, entries.Count);
        Assert.Equal(LogLevel.Error, entries[0].Level);
        Assert.Contains("Alert CourierJobTypeFailing firing (instance=host-1, job_type=massMessage, service=courier, severity=page): 12 failed", entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, entries[1].Level);
        Assert.Contains("CourierDeadLettersGrowing", entries[1].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, entries[2].Level);
        Assert.Contains("Alert CourierJobTypeFailing resolved", entries[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASilencedAlert_IsLoggedAtInformation_NamingTheDowntime()
    {
        using var log = new LogCapture();
        var silenced = Firing("CourierJobTypeFailing", "page", "massMessage") with { Silenced = true, SilencedBy = "deploy 1.2.3" };

        AlertLog.Changes(log.CreateLogger("watcher"), [], [silenced]);

        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("silenced by the downtime 'deploy 1.2.3'", entry.Message, StringComparison.Ordinal);
    }

    private static Alert Firing(string name, string severity, string type) => new()
    {
        Name = name,
        State = AlertState.Firing,
        Labels = new Dictionary<string, string>
        {
            ["alertname"] = name, ["severity"] = severity, ["job_type"] = type, ["service"] = "courier", ["instance"] = "host-1",
        },
        Summary = "12 failed",
        Since = Since,
    };
}

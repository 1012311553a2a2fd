using System.Text.Json;
using Courier.Cli.Commands;
using Courier.Server.Downtimes;

namespace Courier.Cli.Rendering;

/// <summary>
/// What <c>courier downtime add|list|cancel</c> print, from the same answers whether the command did the work itself
/// or asked a dispatcher (<c>--server</c>, <c>/v1/downtimes</c>): one output for both.
/// </summary>
internal static class DowntimeLines
{
    /// <summary>Prints <paramref name="value"/> as the command's JSON (the API's shape).</summary>
    public static void Json<T>(TextWriter output, T value) => JsonOutput.Write(output, JsonSerializer.SerializeToNode(value)!);

    /// <summary>What one add created, and how to cancel it.</summary>
    public static void Added(TextWriter output, DowntimeAdded d)
    {
        output.WriteLine($"Downtime group {d.GroupId}: service {d.Service} on {d.Hosts} (instance =~ {d.HostsRegex}), "
            + $"{DowntimeCommand.Time(d.StartsAt)} to {DowntimeCommand.Time(d.EndsAt)} UTC.");
        output.WriteLine($"  store downtime      {d.DowntimeId}  ({d.Store})");
        if (d.SilenceId is not null)
        {
            output.WriteLine($"  alertmanager silence {d.SilenceId}  ({d.Alertmanager})");
        }
        output.WriteLine($"Cancel it with: courier downtime cancel --comment '{d.Comment.Replace("'", "'\\''", StringComparison.Ordinal)}'");
    }

    /// <summary>The downtimes and silences as one table (or a line saying there are none).</summary>
    public static void Listing(CliConsole console, DowntimeListing listing, bool all)
    {
        if (listing.Downtimes.Count == 0 && listing.Silences.Count == 0)
        {
            console.Out.WriteLine(all ? "No downtimes." : "No pending or active downtimes (--all shows ended ones).");
            return;
        }
        var rows = listing.Downtimes.Select(d => (IReadOnlyList<string>)
            ["store", d.Id, d.GroupId, d.Service, d.Hosts, DowntimeCommand.Time(d.StartsAt), DowntimeCommand.Time(d.EndsAt), d.State, d.Comment])
            .Concat(listing.Silences.Select(s => (IReadOnlyList<string>)
            ["alertmanager", s.Id, s.GroupId ?? "", s.MatcherValue("service"), s.MatcherValue("instance"), DowntimeCommand.Time(s.StartsAt),
                DowntimeCommand.Time(s.EndsAt), s.State, s.Comment]))
            .ToList();
        TableOutput.Write(console, null, ["where", "id", "group", "service", "hosts", "starts (UTC)", "ends (UTC)", "state", "comment"], rows);
    }

    /// <summary>Each silence expired and downtime cancelled (or that would be, in a dry run), then the summary.</summary>
    public static void Cancellation(TextWriter output, DowntimeCancellation result)
    {
        var silences = result.DryRun ? result.Silences : [.. result.Silences.Where(s => result.ExpiredSilences.Contains(s.Id))];
        var downtimes = result.DryRun ? result.Downtimes : [.. result.Downtimes.Where(d => result.Cancelled.Contains(d.Id))];
        foreach (var s in silences)
        {
            output.WriteLine($"{(result.DryRun ? "would expire" : "expired")} Alertmanager silence {s.Id}  "
                + $"({string.Join(", ", s.Matchers)}, until {DowntimeCommand.Time(s.EndsAt)} UTC): {s.Comment}");
        }
        foreach (var d in downtimes)
        {
            output.WriteLine($"{(result.DryRun ? "would cancel" : "cancelled")} store downtime {d.Id}  "
                + $"(group {d.GroupId}, service {d.Service}, hosts {d.Hosts}, until {DowntimeCommand.Time(d.EndsAt)} UTC): {d.Comment}");
        }
        output.WriteLine(result.Message);
    }
}

using Courier.Recurring;

namespace Courier.Cli.Rendering;

/// <summary>One line per recurring job for <c>courier up</c>'s views and <c>courier stats</c>: schedule, last and next tick, jobs enqueued.</summary>
internal static class RecurringLines
{
    public static IEnumerable<string> Of(IEnumerable<RecurringStatus> recurring) =>
        recurring.Select(r => $"recurring {r.Name}: {r.Type} at '{r.Cron}' ({r.TimeZone}), last tick {Time(r.LastTick)}, "
            + $"next {Time(r.NextTick)}, enqueued here {Format.N(r.Enqueued)}");

    /// <summary>The table rows of <c>courier stats</c>: name, type, cron, zone, last tick, next tick, enqueued.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(IEnumerable<RecurringStatus> recurring) =>
        [.. recurring.Select(r => (IReadOnlyList<string>)[r.Name, r.Type, r.Cron, r.TimeZone, Time(r.LastTick), Time(r.NextTick), Format.N(r.Enqueued)])];

    private static string Time(DateTimeOffset? time) => time is { } t ? UtcTime.Format(t) : "-";
}

using Courier.Server.Admin;
using Courier.Server.Configuration;
using Courier.Server.Control;
using Courier.Server.Downtimes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Console;

/// <summary>
/// What the console's buttons and forms do, through the services the admin API uses: <see cref="TypePauses"/>,
/// <see cref="IDeadLetterBrowser.ReplayAsync"/> and <see cref="DowntimeService"/>. Each answers with the fragment
/// htmx swaps in.
/// </summary>
internal static class ConsoleActions
{
    /// <summary>Pause or resume; 204 (the overview's next poll shows the new state), 404 for an unknown type.</summary>
    public static async Task<IResult> PauseAsync(HttpContext context, string type, bool pause)
    {
        var record = await TypePauses.SetAsync(context.RequestServices, type, pause, pause ? "paused from the console" : null, Who(context), context.RequestAborted);
        return record is null ? Results.NotFound() : Results.NoContent();
    }

    /// <summary>The replay form: a dry run's result with the confirm button, or the replayed copy's status.</summary>
    public static async Task<IResult> ReplayAsync(HttpContext context, string position)
    {
        if (!LogPosition.TryParse(position, out var at))
        {
            return ConsoleLayout.Fragment(ConsoleLayout.Notice($"'{position}' is not a position (topic:partition:offset).", error: true));
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var dryRun = form["dry_run"] != "false";
        var browser = context.RequestServices.GetRequiredService<IDeadLetterBrowser>();
        DeadLetterReplay replay;
        try
        {
            replay = await browser.ReplayAsync(DeadLetterFilter.All, [at], dryRun, context.RequestAborted);
        }
        catch (ArgumentException e)
        {
            return ConsoleLayout.Fragment(ConsoleLayout.Notice(e.Message, error: true));
        }
        if (dryRun)
        {
            return ConsoleLayout.Fragment(DeadLetterEntryPage.DryRun(context, position, replay));
        }
        if (replay.Replayed is not [{ ReplayedTo: { } copy }])
        {
            return ConsoleLayout.Fragment(DeadLetterEntryPage.DryRun(context, position, replay));
        }
        var status = await browser.ReplayStatusAsync(at, context.RequestAborted)
            ?? new ReplayStatus(LogPosition.Format(copy), "pending", null, null);
        return ConsoleLayout.Fragment(DeadLetterEntryPage.Status(position, status));
    }

    /// <summary>The add form: the downtimes section with what was added, or why not.</summary>
    public static async Task<IResult> AddDowntimeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        Html notice;
        if (!Duration.TryParse(form["duration"].ToString(), out var duration))
        {
            notice = ConsoleLayout.Notice($"The duration '{form["duration"]}' is not one: {Duration.Help}.", error: true);
        }
        else
        {
            var request = new DowntimeRequest
            {
                Service = form["service"].ToString().Trim(),
                Hosts = form["hosts"].ToString().Trim(),
                StartsAt = now,
                Duration = duration,
                Comment = form["comment"].ToString().Trim(),
                CreatedBy = Who(context),
            };
            try
            {
                request.Check(now, force: false);
                var added = await Downtimes(context).AddAsync(request, context.RequestAborted);
                notice = ConsoleLayout.Notice($"Added downtime \"{request.Comment}\" until {ConsoleFormat.Time(request.EndsAt)}"
                    + (added.SilenceId is null ? "." : $" (Alertmanager silence {added.SilenceId})."));
            }
            catch (Exception e) when (e is ArgumentException or AlertmanagerException)
            {
                notice = ConsoleLayout.Notice("Not added: " + e.Message, error: true);
            }
        }
        return Section(context, now, notice);
    }

    /// <summary>The cancel forms: every downtime (and Alertmanager silence) whose comment matches.</summary>
    public static async Task<IResult> CancelDowntimesAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var comment = form["comment"].ToString();
        Html notice;
        try
        {
            var match = form["regex"] == "true" ? CommentMatch.FullRegex(comment) : CommentMatch.Exact(comment);
            var service = Downtimes(context);
            var matches = await service.FindAsync(match, context.RequestAborted);
            var cancelled = await service.CancelAsync(matches, cancellationToken: context.RequestAborted);
            notice = ConsoleLayout.Notice(cancelled.Count + matches.Silences.Count == 0
                ? $"No downtime with {match}."
                : $"Cancelled {cancelled.Count} downtime(s) with {match}" + (matches.Silences.Count > 0 ? $" and expired {matches.Silences.Count} silence(s)." : "."));
        }
        catch (Exception e) when (e is ArgumentException or AlertmanagerException)
        {
            notice = ConsoleLayout.Notice("Nothing cancelled: " + e.Message, error: true);
        }
        return Section(context, now, notice);
    }

    /// <summary>
    /// The dispatcher service's downtimes: the registered <see cref="DowntimeService"/>, else the data directory's
    /// store without Alertmanager.
    /// </summary>
    public static DowntimeService Downtimes(HttpContext context) =>
        context.RequestServices.GetService<DowntimeService>()
        ?? new DowntimeService(context.RequestServices.GetRequiredService<IDowntimeReader>() as DowntimeStore
            ?? throw new InvalidOperationException("no downtime store registered"), null);

    private static IResult Section(HttpContext context, DateTimeOffset now, Html notice) =>
        ConsoleLayout.Fragment(AlertsPage.Downtimes(context, Downtimes(context).Store.List(includeEnded: false), now, notice));

    /// <summary>Who acts: the signed-in token's name, else the caller's address, from the console.</summary>
    private static string Who(HttpContext context) => ControlRequest.DefaultBy(context) + " (console)";
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Courier.Server.Admin;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// <c>/ui/dead-letters/{position}</c>: the failure, the record's headers, the original event pretty-printed, and the
/// replay: a dry run first (what would be appended where), then a confirmation, then the copy's outcome, polled
/// from <see cref="StatusRoute"/> until it ends.
/// </summary>
internal static class DeadLetterEntryPage
{
    /// <summary>The replay status fragment's route.</summary>
    public const string StatusRoute = "/ui/fragments/dead-letters/{position}/status";

    /// <summary>The page.</summary>
    public static IResult Render(HttpContext context, DeadLetterEntry entry, ReplayStatus? status)
    {
        var d = entry.DeadLetter;
        var position = LogPosition.Format(d.Position);
        return ConsoleLayout.Page(context, ConsoleLayout.Section.DeadLetters, "Dead letter " + position, Html.Of($"""
            <h1>Dead letter <code>{position}</code></h1>
            <table class="data kv">
            <tr><th>Type</th><td>{(d.JobType is null ? Html.Empty : Html.Of($"""<a href="{TypePage.Url(d.JobType)}">{d.JobType}</a>"""))}</td></tr>
            <tr><th>Job id</th><td>{d.JobId}</td></tr>
            <tr><th>Class</th><td>{d.Class?.ToWireName()}</td></tr>
            <tr><th>Reason</th><td class="bad">{d.Message}</td></tr>
            <tr><th>Attempts</th><td>{d.Attempts}</td></tr>
            <tr><th>First attempt / failed at</th><td>{ConsoleFormat.Time(d.FirstAttemptAt)} / {ConsoleFormat.Time(d.FailedAt ?? entry.Timestamp)}</td></tr>
            <tr><th>From topic</th><td>{d.OriginTopic}</td></tr>
            <tr><th>Executor / release</th><td>{d.Executor} {d.Release}</td></tr>
            </table>
            <h2>Replay</h2>
            <div id="replay">{Replay(context, position, status)}</div>
            <h2>Original event</h2>
            <pre class="event" id="original-event">{PrettyPrinted(d.OriginalEvent)}</pre>
            <h2>Headers</h2>
            <table class="data" id="headers">
            <thead><tr><th>Key</th><th>Value</th></tr></thead>
            <tbody>{Html.Join(entry.Headers.Select(h => Html.Of($"<tr><td>{h.Key}</td><td><code>{Encoding.UTF8.GetString(h.Value)}</code></td></tr>")))}</tbody>
            </table>
            """));
    }

    /// <summary>The replay section: the status of a copy, or the dry-run button.</summary>
    public static Html Replay(HttpContext context, string position, ReplayStatus? status) => status is null
        ? Html.Of($"""
            <form hx-post="{ActionUrl(position)}" hx-target="#replay" hx-swap="innerHTML">
            {ConsoleLayout.CsrfField(context)}<input type="hidden" name="dry_run" value="true">
            <button type="submit" data-action="replay-dry-run">Replay… (dry run first)</button>
            </form>
            """)
        : Status(position, status);

    /// <summary>What the dry run says, and the button that confirms it.</summary>
    public static Html DryRun(HttpContext context, string position, DeadLetterReplay replay) => replay.Replayed.Count == 0
        ? ConsoleLayout.Notice(replay.AlreadyReplayed > 0 ? "It was replayed before: nothing to do."
            : "It names no job topic or type: there is nowhere to replay it.", error: true)
        : Html.Of($"""
            {ConsoleLayout.Notice($"Dry run: a replay would append the original event to {replay.Replayed[0].TargetTopic} as a new job. Nothing was written.")}
            <form hx-post="{ActionUrl(position)}" hx-target="#replay" hx-swap="innerHTML">
            {ConsoleLayout.CsrfField(context)}<input type="hidden" name="dry_run" value="false">
            <button type="submit" class="danger" data-action="replay-confirm">Confirm replay</button>
            <a href="{DeadLettersPage.Route}/{Uri.EscapeDataString(position)}">Cancel</a>
            </form>
            """);

    /// <summary>A replayed copy's outcome; polled while it is pending.</summary>
    public static Html Status(string position, ReplayStatus status) => Html.Of($"""
        <div id="replay-status"{(status.Outcome == "pending" ? Html.Of($""" hx-get="{StatusUrl(position)}" hx-trigger="{ConsoleLayout.EveryTwoSeconds}" hx-target="#replay" hx-swap="innerHTML" """) : Html.Empty)} data-outcome="{status.Outcome}">
        Replayed to <code>{status.ReplayedTo}</code>: <span class="state {status.Outcome}">{status.Outcome.Replace('_', ' ')}</span>
        {(status.At is { } at ? Html.Of($""" <span class="muted">at {ConsoleFormat.Time(at)}</span>""") : Html.Empty)}
        {(status.DeadLetteredAgainAt is { } again ? Html.Of($""" — dead-lettered again: <a href="{DeadLettersPage.Route}/{Uri.EscapeDataString(again)}">{again}</a>""") : Html.Empty)}
        </div>
        """);

    /// <summary>The replay action of a position.</summary>
    public static string ActionUrl(string position) => $"{DeadLettersPage.Route}/{Uri.EscapeDataString(position)}/replay";

    private static string StatusUrl(string position) => $"/ui/fragments/dead-letters/{Uri.EscapeDataString(position)}/status";

    private static string PrettyPrinted(ReadOnlyMemory<byte> original)
    {
        try
        {
            using var json = JsonDocument.Parse(original);
            return JsonSerializer.Serialize(json.RootElement, Indented);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(original.Span);
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

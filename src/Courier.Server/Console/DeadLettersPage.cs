using Courier.Server.Admin;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Console;

/// <summary>
/// <c>/ui/dead-letters</c>: a filter form (type, class, job id, text, unreplayed), one page of matching dead letters
/// from <see cref="IDeadLetterBrowser"/> (newest first), and cursor paging (next, back to the first).
/// </summary>
internal static class DeadLettersPage
{
    /// <summary>The route.</summary>
    public const string Route = "/ui/dead-letters";

    /// <summary>Dead letters per page, unless the query string's <c>limit</c> says otherwise.</summary>
    public const int PageSize = 50;

    /// <summary>The browser filtered by a type.</summary>
    public static string Url(string type) => Route + "?type=" + Uri.EscapeDataString(type);

    /// <summary>The page of one dead letter.</summary>
    public static string EntryUrl(TopicPartitionOffset position) => Route + "/" + Uri.EscapeDataString(LogPosition.Format(position));

    /// <summary>Reads the filter from the query string; an error for a person when it is not one.</summary>
    public static (DeadLetterQuery? Query, string? Error) ReadQuery(HttpRequest request)
    {
        var q = request.Query;
        FailureClass? failureClass = null;
        if (!string.IsNullOrEmpty(q["class"]))
        {
            if (!FailureClasses.TryParse(q["class"], out var parsed))
            {
                return (null, $"unknown failure class '{q["class"]}': decode, retryable, permanent or backpressure");
            }
            failureClass = parsed;
        }
        var limit = PageSize;
        if (!string.IsNullOrEmpty(q["limit"]) && (!int.TryParse(q["limit"], out limit) || limit < 1 || limit > DeadLetterQuery.MaxLimit))
        {
            return (null, $"limit must be a number from 1 to {DeadLetterQuery.MaxLimit}, got '{q["limit"]}'");
        }
        return (new DeadLetterQuery
        {
            JobType = NullIfEmpty(q["type"]),
            Class = failureClass,
            JobId = NullIfEmpty(q["job_id"]),
            Text = NullIfEmpty(q["q"]),
            Unreplayed = q["unreplayed"] == "true" ? true : null,
            Cursor = NullIfEmpty(q["cursor"]),
            Limit = limit,
        }, null);
    }

    /// <summary>The page.</summary>
    public static IResult Render(HttpContext context, DeadLetterQuery query, DeadLetterPage? page, string? error) =>
        ConsoleLayout.Page(context, ConsoleLayout.Section.DeadLetters, "Dead letters", Html.Of($"""
            <h1>Dead letters</h1>
            {Filters(query)}
            {(error is null ? Html.Empty : ConsoleLayout.Notice(error, error: true))}
            {(page is null ? Html.Empty : Results(context, query, page))}
            """));

    /// <summary>A table of dead letters, each linking to its page.</summary>
    public static Html Table(IReadOnlyList<DeadLetterEntry> entries) => entries.Count == 0
        ? Html.Raw("""<p class="muted">No dead letters.</p>""")
        : Html.Of($"""
            <table class="data" id="dead-letters">
            <thead><tr><th>Failed at</th><th>Type</th><th>Class</th><th>Job id</th><th>Reason</th><th class="num">Attempts</th><th>Replayed</th></tr></thead>
            <tbody>
            {Html.Join(entries.Select(Row))}
            </tbody>
            </table>
            """);

    private static Html Row(DeadLetterEntry entry)
    {
        var d = entry.DeadLetter;
        return Html.Of($"""
            <tr>
            <td><a href="{EntryUrl(d.Position)}">{ConsoleFormat.Time(d.FailedAt ?? entry.Timestamp)}</a></td>
            <td>{d.JobType}</td>
            <td>{d.Class?.ToWireName()}</td>
            <td><a href="{EntryUrl(d.Position)}">{d.JobId}</a></td>
            <td>{Shorten(d.Message, 160)}</td>
            <td class="num">{d.Attempts}</td>
            <td>{(entry.ReplayedTo is null ? Html.Raw("""<span class="muted">no</span>""") : Html.Of($"yes, to {entry.ReplayedTo}"))}</td>
            </tr>
            """);
    }

    private static Html Filters(DeadLetterQuery query) => Html.Of($"""
        <form class="filters" method="get" action="{Route}">
        <label>Type <input name="type" value="{query.JobType}"></label>
        <label>Class <select name="class">
        <option value="">any</option>
        {Html.Join(new[] { FailureClass.Decode, FailureClass.Retryable, FailureClass.Permanent, FailureClass.Backpressure }.Select(c =>
            Html.Of($"""<option value="{c.ToWireName()}"{(query.Class == c ? Html.Raw(" selected") : Html.Empty)}>{c.ToWireName()}</option>""")))}
        </select></label>
        <label>Job id <input name="job_id" value="{query.JobId}"></label>
        <label>Reason contains <input name="q" value="{query.Text}"></label>
        <label class="check"><input type="checkbox" name="unreplayed" value="true"{(query.Unreplayed == true ? Html.Raw(" checked") : Html.Empty)}> not replayed</label>
        <button type="submit">Filter</button>
        </form>
        """);

    private static Html Results(HttpContext context, DeadLetterQuery query, DeadLetterPage page)
    {
        var first = QueryWithout(context.Request.Query, "cursor");
        var next = page.NextCursor is null ? null : (first.Length == 0 ? "?" : first + "&") + "cursor=" + Uri.EscapeDataString(page.NextCursor);
        return Html.Of($"""
            <p><strong id="matching">{ConsoleFormat.Count(page.Matching)}</strong> matching{(page.NotYetIndexed > 0 ? Html.Of($""" <span class="muted">({ConsoleFormat.Count(page.NotYetIndexed)} more not indexed yet)</span>""") : Html.Empty)}.</p>
            {Table(page.Items)}
            <div class="pager">
            {(query.Cursor is null ? Html.Empty : Html.Of($"""<a href="{Route}{first}">First page</a>"""))}
            {(next is null ? Html.Empty : Html.Of($"""<a href="{Route}{next}" rel="next">Next page</a>"""))}
            </div>
            """);
    }

    private static string QueryWithout(IQueryCollection query, string key)
    {
        var kept = query.Where(kv => kv.Key != key && !string.IsNullOrEmpty(kv.Value)).ToList();
        return kept.Count == 0 ? "" : "?" + string.Join("&", kept.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value.ToString())));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Shorten(string? text, int length) => text is null || text.Length <= length ? text : text[..length] + "…";
}

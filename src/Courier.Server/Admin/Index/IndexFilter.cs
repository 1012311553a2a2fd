using Microsoft.Data.Sqlite;

namespace Courier.Server.Admin.Index;

/// <summary>
/// The WHERE clause of a dead-letter query over <c>dead_letters d LEFT JOIN replays r</c>: type, class, job id, text in
/// the reason (SQLite LIKE: case-insensitive for ASCII), replayed or not. Values go in parameters, never in the text.
/// </summary>
internal sealed record IndexFilter(string? JobType, FailureClass? Class, string? JobId, string? Text, bool? Unreplayed)
{
    /// <summary>For counting: the query joins the replays table (inner join), so only replayed rows count.</summary>
    public bool OnlyReplayed { get; init; }

    /// <summary>The filter of a page query.</summary>
    public static IndexFilter Of(DeadLetterQuery query) => new(query.JobType, query.Class, query.JobId, query.Text, query.Unreplayed);

    /// <summary>The filter of a replay: unreplayed dead letters of a type and class.</summary>
    public static IndexFilter Of(DeadLetterFilter filter) => new(filter.JobType, filter.Class, null, null, null);

    /// <summary>True when the clause needs the replays table.</summary>
    public bool NeedsReplays => Unreplayed is not null;

    /// <summary>The conditions joined by AND ("1" when none), adding their parameters to <paramref name="command"/>.</summary>
    public string Where(SqliteCommand command)
    {
        var conditions = new List<string>();
        if (JobType is not null)
        {
            conditions.Add("d.job_type = $type");
            command.Parameters.AddWithValue("$type", JobType);
        }
        if (Class is { } c)
        {
            conditions.Add("d.class = $class");
            command.Parameters.AddWithValue("$class", c.ToWireName());
        }
        if (JobId is not null)
        {
            conditions.Add("d.job_id = $job");
            command.Parameters.AddWithValue("$job", JobId);
        }
        if (!string.IsNullOrEmpty(Text))
        {
            conditions.Add(@"d.reason LIKE $text ESCAPE '\'");
            var escaped = Text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal);
            command.Parameters.AddWithValue("$text", "%" + escaped + "%");
        }
        if (Unreplayed is { } unreplayed)
        {
            conditions.Add(unreplayed ? "r.partition_no IS NULL" : "r.partition_no IS NOT NULL");
        }
        return conditions.Count == 0 ? "1" : string.Join(" AND ", conditions);
    }
}

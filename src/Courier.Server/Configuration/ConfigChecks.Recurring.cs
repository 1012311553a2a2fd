using Courier.Recurring;

namespace Courier.Server.Configuration;

/// <summary>Checks of the top-level <c>recurring</c> list: each entry named once, with a type, a valid cron expression and a known zone.</summary>
internal sealed partial class ConfigChecks
{
    private void Recurring(ConfigList<RecurringConfig> entries, ConfigAt at)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var entryAt = at[i];
            foreach (var (key, value) in new[] { ("name", entry.Name), ("type", entry.Type), ("cron", entry.Cron) })
            {
                if (value is null)
                {
                    throw Error(entryAt, $"needs '{key}'" + (key == "cron" ? " (5 fields, or 6 with seconds first: '*/10 * * * * *')" : ""));
                }
            }
            NoWhitespace(entry.Name!, entryAt["name"], "recurring job name");
            NoWhitespace(entry.Type!, entryAt["type"], "job type");
            if (!names.Add(entry.Name!))
            {
                throw Error(entryAt["name"], $"recurring job '{entry.Name}' is defined more than once");
            }
            if (entry.Params is not null && JsonObjectProblem(entry.Params) is { } problem)
            {
                throw Error(entryAt["params"], $"must be a JSON object written as text (in YAML, quoted: '{{\"title\": \"Main_Page\"}}'); the value {problem}");
            }
            // The job's own checks name the recurring job and the bad value (cron, time zone, database).
            var job = entry.ToJob();
            if (job.Problems().FirstOrDefault() is { } message)
            {
                throw Error(entryAt[KeyOf(message)], message);
            }
        }
    }

    private static readonly string[] RecurringKeys = ["cron", "time_zone", "database", "max_catch_up", "params", "type"];

    /// <summary>The key a <see cref="RecurringJob"/> problem is about (it starts "recurring job 'x': &lt;key&gt; …"), to point at its line.</summary>
    private static string KeyOf(string problem) =>
        RecurringKeys.FirstOrDefault(k => problem.Contains($": {k}", StringComparison.Ordinal)) ?? "name";
}

using System.Text.Json.Nodes;
using Courier.Server.Admin;

namespace Courier.Server.Audit;

/// <summary>
/// The report as <c>courier audit --json</c> prints it: one object,
/// <c>{"ledger","range":{"since","until"},"types":[…],"total":{…},"unaccounted":[…],"duplicates":[…],"undecodable_entries"}</c>
/// (docs/operations.md, "Auditing: courier audit").
/// </summary>
internal static class AuditReportJson
{
    /// <summary>The report as one JSON object.</summary>
    public static JsonObject ToJson(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JsonObject
        {
            ["ledger"] = report.Ledger,
            ["ledger_topic"] = report.LedgerTopic,
            ["range"] = new JsonObject
            {
                ["since"] = report.Range.Since is { } since ? DeadLetterJson.Time(since) : null,
                ["until"] = report.Range.Until is { } until ? DeadLetterJson.Time(until) : null,
            },
            ["types"] = new JsonArray([.. report.Types.Select(Counts)]),
            ["total"] = Counts(report.Total),
            ["unaccounted"] = new JsonArray([.. report.Unaccounted.Select(u => (JsonNode)new JsonObject
            {
                ["type"] = u.Type,
                ["topic"] = u.Position.Topic,
                ["partition"] = u.Position.Partition,
                ["offset"] = u.Position.Offset,
                ["job_id"] = u.JobId,
            })]),
            ["duplicates"] = new JsonArray([.. report.Duplicates.Select(d => (JsonNode)new JsonObject
            {
                ["job_id"] = d.JobId,
                ["type"] = d.Type,
                ["successes"] = new JsonArray([.. d.Successes.Select(s => (JsonNode)new JsonObject
                {
                    ["topic"] = s.Origin.Topic,
                    ["partition"] = s.Origin.Partition,
                    ["offset"] = s.Origin.Offset,
                    ["dispatcher"] = s.Dispatcher,
                    ["at"] = DeadLetterJson.Time(s.At),
                })]),
            })]),
            ["undecodable_entries"] = report.UndecodableEntries,
            ["undecodable_samples"] = new JsonArray([.. report.UndecodableSamples.Select(s => (JsonNode)JsonValue.Create(s))]),
        };
    }

    private static JsonNode Counts(AuditCounts counts)
    {
        var json = new JsonObject();
        if (counts.Type is not null)
        {
            json["type"] = counts.Type;
        }
        json["accepted"] = counts.Accepted;
        json["terminal"] = Map(counts.Terminal);
        json["dead_lettered_by_class"] = Map(counts.DeadLetteredByClass);
        json["in_retry"] = counts.InRetry;
        json["pending"] = counts.Pending;
        json["unaccounted"] = counts.Unaccounted;
        json["duplicates"] = counts.Duplicates;
        json["matched_by_job_id"] = counts.MatchedByJobId;
        return json;
    }

    private static JsonObject Map(IEnumerable<KeyValuePair<string, long>> counts) =>
        new([.. counts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
}

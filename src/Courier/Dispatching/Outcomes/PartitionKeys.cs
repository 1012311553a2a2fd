using System.Text.Json;

namespace Courier.Dispatching.Outcomes;

/// <summary>The value a partitioned rule's key names in a job.</summary>
internal static class PartitionKeys
{
    /// <summary>The database, or a string or number at a dotted path into params; null when there is none.</summary>
    public static string? Of(string key, JobEvent jobEvent)
    {
        if (key == "database")
        {
            return jobEvent.Database;
        }
        var node = jobEvent.Params;
        foreach (var segment in key["params.".Length..].Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out node))
            {
                return null;
            }
        }
        return node.ValueKind switch
        {
            JsonValueKind.String => node.GetString(),
            JsonValueKind.Number => node.GetRawText(),
            _ => null,
        };
    }
}

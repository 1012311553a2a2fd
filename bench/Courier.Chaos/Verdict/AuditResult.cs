using System.Text.Json;

namespace Courier.Chaos.Verdict;

/// <summary>What <c>courier audit --json</c> printed, and its exit code.</summary>
public sealed record AuditResult
{
    /// <summary>The process's exit code: 0 nothing unaccounted, 4 something unaccounted, 5 no ledger.</summary>
    public int ExitCode { get; init; }

    /// <summary>The totals over every type.</summary>
    public AuditTotals Total { get; init; } = new();

    /// <summary>Each type's counts.</summary>
    public IReadOnlyDictionary<string, AuditTotals> Types { get; init; } = new Dictionary<string, AuditTotals>();

    /// <summary>The first unaccounted jobs, as <c>type topic:partition:offset (job id)</c>.</summary>
    public IReadOnlyList<string> Unaccounted { get; init; } = [];

    /// <summary>The first duplicated jobs.</summary>
    public IReadOnlyList<AuditDuplicate> Duplicates { get; init; } = [];

    /// <summary>The JSON as printed.</summary>
    public string Json { get; init; } = "";

    internal static AuditResult Parse(int exitCode, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new AuditResult
        {
            ExitCode = exitCode,
            Json = json,
            Total = AuditTotals.Read(root.GetProperty("total")),
            Types = root.GetProperty("types").EnumerateArray()
                .ToDictionary(t => t.GetProperty("type").GetString()!, AuditTotals.Read, StringComparer.Ordinal),
            Unaccounted = root.GetProperty("unaccounted").EnumerateArray()
                .Select(u => $"{Text(u, "type")} {Text(u, "topic")}:{Text(u, "partition")}:{Text(u, "offset")} ({Text(u, "job_id")})").ToList(),
            Duplicates = root.GetProperty("duplicates").EnumerateArray().Select(AuditDuplicate.Read).ToList(),
        };
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText() : "";
}

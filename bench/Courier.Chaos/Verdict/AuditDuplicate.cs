using System.Text.Json;

namespace Courier.Chaos.Verdict;

/// <summary>A job the audit found succeeded more than once: its successes' positions, writers and times.</summary>
public sealed record AuditDuplicate(string JobId, string Type, IReadOnlyList<AuditSuccess> Successes)
{
    internal static AuditDuplicate Read(JsonElement element) => new(
        element.GetProperty("job_id").GetString() ?? "",
        element.GetProperty("type").GetString() ?? "",
        element.GetProperty("successes").EnumerateArray().Select(s => new AuditSuccess(
            s.TryGetProperty("dispatcher", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
            s.TryGetProperty("at", out var at) ? at.ToString() : "")).ToList());
}

/// <summary>One success entry of a duplicate: the dispatcher (<c>host:pid</c>) that wrote it, and when.</summary>
public sealed record AuditSuccess(string? Dispatcher, string At)
{
    /// <summary>The writer's process id, from <see cref="Dispatcher"/>.</summary>
    public int? Pid => Dispatcher is { } d && int.TryParse(d.AsSpan(d.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
}

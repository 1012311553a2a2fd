using System.Text;
using System.Text.Json;

namespace Courier.Canaries;

/// <summary>
/// Where a job falls in 0..99 for a canary: a stable hash (FNV-1a, 32 bits, of the key's UTF-8) of its id or of its
/// wiki, the same in every process and release, so a job — or every job of a wiki — always lands on the same side
/// for a given weight, and a side only grows as the weight rises.
/// </summary>
internal static class CanarySlicer
{
    /// <summary>The key a job is sliced by.</summary>
    public static string KeyOf(JobEvent job, CanarySliceKind kind) => kind switch
    {
        CanarySliceKind.Database => DatabaseOf(job),
        _ => job.Meta.Id,
    };

    /// <summary>The wiki of a job: <c>params.database</c>, else the event's <c>database</c>, else <c>meta.domain</c>.</summary>
    public static string DatabaseOf(JobEvent job)
    {
        if (job.Params.ValueKind == JsonValueKind.Object && job.Params.TryGetProperty("database", out var database)
            && database.ValueKind == JsonValueKind.String && database.GetString() is { Length: > 0 } fromParams)
        {
            return fromParams;
        }
        return job.Database is { Length: > 0 } ? job.Database : job.Meta.Domain ?? "";
    }

    /// <summary>The key's place in 0..99.</summary>
    public static int Bucket(string key)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(key) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(key, buffer)] : Encoding.UTF8.GetBytes(key);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % 100);
    }

    /// <summary>True when a job whose key is <paramref name="key"/> goes to the canary at <paramref name="weight"/> percent.</summary>
    public static bool ToCanary(string key, int weight) => Bucket(key) < weight;
}

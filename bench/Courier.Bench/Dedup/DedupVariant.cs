namespace Courier.Bench.Dedup;

/// <summary>One way of running the dedup section's workload: which state store the dispatcher has, and whether its rule deduplicates.</summary>
/// <param name="Name">Label in the table.</param>
/// <param name="Store">Null (no store), <c>embedded</c> (SQLite state.db beside the log) or <c>redis</c>.</param>
/// <param name="Dedupe">The rule's <c>dedupe</c>: on (the default, window 1 d) or off.</param>
internal sealed record DedupVariant(string Name, string? Store, bool Dedupe)
{
    /// <summary>
    /// The baseline first, then each store with dedupe off (what the store costs without deduplication: the cancel
    /// check's one GET per execution) and on.
    /// </summary>
    public static IReadOnlyList<DedupVariant> All { get; } =
    [
        new("no store", null, Dedupe: false),
        new("embedded, dedupe off", "embedded", Dedupe: false),
        new("embedded, dedupe on", "embedded", Dedupe: true),
        new("redis, dedupe off", "redis", Dedupe: false),
        new("redis, dedupe on", "redis", Dedupe: true),
    ];
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Courier.Jobs.Codec;
using Cronos;

namespace Courier.Recurring;

/// <summary>
/// A job the dispatcher enqueues on a cron schedule (docs/operations.md, "Recurring jobs"): at every tick of
/// <see cref="Cron"/> in <see cref="TimeZone"/>, one real job of <see cref="Type"/> with <see cref="Params"/> is written to
/// the type's job topic — once across every dispatcher sharing a state store.
/// </summary>
/// <remarks>
/// The original had no recurring jobs: its operators ran maintenance scripts from cron or systemd timers on one host,
/// which ran twice or not at all when hosts were added or lost. Here the tick is claimed in the shared store.
/// </remarks>
public sealed class RecurringJob
{
    /// <summary>Unique name; part of the store keys and of each job's id, so renaming it starts a new schedule.</summary>
    public required string Name { get; set; }

    /// <summary>The job type to enqueue.</summary>
    public required string Type { get; set; }

    /// <summary>
    /// Cron expression (Cronos): 5 fields (minute hour day-of-month month day-of-week) or 6 fields with seconds first
    /// (<c>*/10 * * * * *</c>: every 10 seconds).
    /// </summary>
    public required string Cron { get; set; }

    /// <summary>IANA time zone the expression is read in (default <c>UTC</c>); DST is handled by Cronos.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The job's params: a JSON object (default <c>{}</c>).</summary>
    public JsonElement Params { get; set; } = JobEventReader.EmptyObject;

    /// <summary>The job's <c>database</c> (default <c>courier-recurring</c>).</summary>
    public string Database { get; set; } = "courier-recurring";

    /// <summary>What to do with ticks missed while no dispatcher ran (default <see cref="Recurring.CatchUp.Once"/>).</summary>
    public CatchUp CatchUp { get; set; } = CatchUp.Once;

    /// <summary>With <see cref="Recurring.CatchUp.All"/>, the most missed ticks enqueued (the latest ones; default 10).</summary>
    public int MaxCatchUp { get; set; } = 10;

    /// <summary>
    /// The <c>meta.id</c> of this recurring job's job for <paramref name="tick"/>: a UUID derived from <see cref="Name"/>
    /// and the tick, the same on every dispatcher, so a tick written twice is one job to event-id deduplication.
    /// </summary>
    public string JobIdFor(DateTimeOffset tick)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"courier.recurring\n{Name}\n{tick.ToUnixTimeSeconds()}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a custom, name-based UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>The first tick strictly after <paramref name="from"/> (null: the expression has no more); the values must be valid.</summary>
    public DateTimeOffset? NextTickAfter(DateTimeOffset from) => ParseCron().GetNextOccurrence(from, FindZone());

    /// <summary>The parsed expression; throws <see cref="CronFormatException"/> when it is not valid.</summary>
    internal CronExpression ParseCron() => CronExpression.Parse(Cron,
        Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    /// <summary>The zone; throws <see cref="TimeZoneNotFoundException"/> when it is not known.</summary>
    internal TimeZoneInfo FindZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// What is wrong with the values, each naming the recurring job and the key (<c>cron</c>, <c>time_zone</c>, …);
    /// empty when they are valid. Whether the dispatcher knows <see cref="Type"/> is checked when it is created.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        var name = $"recurring job '{Name}'";
        if (string.IsNullOrWhiteSpace(Name) || Name.Contains(':', StringComparison.Ordinal))
        {
            yield return $"{name}: name must be non-empty and without ':'";
        }
        if (string.IsNullOrWhiteSpace(Type))
        {
            yield return $"{name}: type must name a job type";
        }
        string? cronError = null;
        try
        {
            _ = ParseCron();
        }
        catch (CronFormatException e)
        {
            cronError = e.Message;
        }
        if (cronError is not null)
        {
            yield return $"{name}: cron '{Cron}' is not a valid 5- or 6-field cron expression: {cronError}";
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out _))
        {
            yield return $"{name}: time_zone '{TimeZone}' is not a known IANA time zone (e.g. UTC, Europe/Berlin)";
        }
        if (Params.ValueKind != JsonValueKind.Object)
        {
            yield return $"{name}: params must be a JSON object, got {JsonPaths.Kind(Params.ValueKind)}";
        }
        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return $"{name}: database must name a database, got '{Database}'";
        }
        if (MaxCatchUp < 1)
        {
            yield return $"{name}: max_catch_up must be at least 1, got {MaxCatchUp}";
        }
    }
}

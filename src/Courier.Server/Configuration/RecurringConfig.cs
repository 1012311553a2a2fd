using System.Text.Json;
using Courier.Recurring;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>One entry of the top-level <c>recurring</c> list: a job enqueued on a cron schedule (<see cref="RecurringJob"/>).</summary>
public sealed class RecurringConfig
{
    /// <summary><c>name</c>: unique name of the schedule (required).</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; init; }

    /// <summary><c>type</c>: the job type to enqueue (required; one the dispatcher consumes).</summary>
    [ConfigurationKeyName("type")]
    public string? Type { get; init; }

    /// <summary><c>cron</c>: 5 fields, or 6 with seconds first (required).</summary>
    [ConfigurationKeyName("cron")]
    public string? Cron { get; init; }

    /// <summary><c>time_zone</c>: IANA time zone the expression is read in (default UTC).</summary>
    [ConfigurationKeyName("time_zone")]
    public string? TimeZone { get; init; }

    /// <summary><c>params</c>: the job's params, a JSON object written as text (default <c>{}</c>).</summary>
    [ConfigurationKeyName("params")]
    public string? Params { get; init; }

    /// <summary><c>database</c>: the job's database (default <c>courier-recurring</c>).</summary>
    [ConfigurationKeyName("database")]
    public string? Database { get; init; }

    /// <summary><c>catch_up</c>: ticks missed while no dispatcher ran: <c>skip</c>, <c>once</c> (default) or <c>all</c>.</summary>
    [ConfigurationKeyName("catch_up")]
    public CatchUp? CatchUp { get; init; }

    /// <summary><c>max_catch_up</c>: with <c>catch_up: all</c>, the most missed ticks enqueued (default 10).</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_catch_up")]
    public int? MaxCatchUp { get; init; }

    /// <summary>The recurring job these values describe (checked by <see cref="ConfigChecks"/> first).</summary>
    public RecurringJob ToJob()
    {
        var job = new RecurringJob { Name = Name ?? "", Type = Type ?? "", Cron = Cron ?? "" };
        if (TimeZone is { } zone)
        {
            job.TimeZone = zone;
        }
        if (Params is { } text)
        {
            job.Params = JsonElement.Parse(text);
        }
        if (Database is { } database)
        {
            job.Database = database;
        }
        if (CatchUp is { } catchUp)
        {
            job.CatchUp = catchUp;
        }
        if (MaxCatchUp is { } max)
        {
            job.MaxCatchUp = max;
        }
        return job;
    }
}

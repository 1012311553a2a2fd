using System.Text.Json;
using Courier.Recurring;

namespace Courier.Server.Demo;

/// <summary>
/// Dispatcher rules for the demo types: concurrency 50 and short retries (1 s, then 2 s; limit 2) so a demo run
/// finishes in seconds. The original's defaults (1 min × 6) would leave retried jobs waiting for minutes.
/// </summary>
internal static class DemoRules
{
    /// <summary>Concurrency of each demo type.</summary>
    public const int Concurrency = 50;

    /// <summary>The retry policy of the demo rules.</summary>
    public static RetryPolicy Retry() => new() { Limit = 2, Delay = TimeSpan.FromSeconds(1), Factor = 2 };

    /// <summary>The rule of one demo type.</summary>
    public static JobRule For(string jobType) => new()
    {
        Type = jobType,
        Concurrency = Concurrency,
        Timeout = TimeSpan.FromSeconds(30),
        Retry = Retry(),
    };

    /// <summary>The demo's recurring job: every 10 seconds, purge the cached pages using the main page template.</summary>
    public static RecurringJob Recurring() => new()
    {
        Name = "demo-purge",
        Type = DemoJobTypes.HtmlCacheUpdate,
        Cron = "*/10 * * * * *",
        Database = "demowiki",
        Params = JsonSerializer.SerializeToElement(new HtmlCacheUpdateParams { Table = "templatelinks", Title = new PageTitle(10, "Main_page_template") },
            new CourierOptions().ParamsSerializerOptions),
    };

    /// <summary>
    /// Adds a demo rule for every demo type that has no rule yet (a configured rule wins), and the demo's recurring
    /// job unless one of its name is configured.
    /// </summary>
    public static void AddTo(DispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var type in DemoJobTypes.All)
        {
            if (!options.Rules.Any(r => string.Equals(r.Type, type, StringComparison.Ordinal)))
            {
                options.Rules.Add(For(type));
            }
        }
        var recurring = Recurring();
        if (!options.Recurring.Any(r => string.Equals(r.Name, recurring.Name, StringComparison.Ordinal)))
        {
            options.Recurring.Add(recurring);
        }
    }
}

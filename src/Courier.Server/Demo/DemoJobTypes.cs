namespace Courier.Server.Demo;

/// <summary>
/// The demo's job types, named after jobs of the original system: MassMessage deliveries (the job type whose silent
/// loss first revealed the 2019 incident), HTML cache purges and link-table refreshes.
/// </summary>
internal static class DemoJobTypes
{
    /// <summary>Delivers a message to a talk page; the demo writes it into the inbox table of <c>demo.db</c>.</summary>
    public const string MassMessage = "massMessage";

    /// <summary>Purges the rendered HTML of pages (simulated: a short wait).</summary>
    public const string HtmlCacheUpdate = "htmlCacheUpdate";

    /// <summary>Re-parses a page and updates its link tables (simulated: a little CPU work and a short wait).</summary>
    public const string RefreshLinks = "refreshLinks";

    /// <summary>All demo job types.</summary>
    public static IReadOnlyList<string> All { get; } = [MassMessage, HtmlCacheUpdate, RefreshLinks];
}

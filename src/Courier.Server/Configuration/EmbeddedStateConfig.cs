using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>state.embedded</c> section: the embedded (SQLite) state store.</summary>
public sealed class EmbeddedStateConfig
{
    /// <summary><c>path</c>: the store's file (default <c>&lt;data&gt;/state.db</c>); relative to the configuration file.</summary>
    [ConfigurationKeyName("path")]
    public string? Path { get; set; }

    /// <summary><c>max_entries</c>: most keys kept; past it those nearest their expiry go first (default 1,000,000).</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_entries")]
    public int? MaxEntries { get; init; }
}

namespace Courier.Cli.Logging;

/// <summary>How the log lines of a long-running command (<c>serve</c>, <c>runner</c>, <c>kafka dev</c>) look on stderr.</summary>
internal enum LogFormat
{
    /// <summary>One human-readable line per event: UTC time, level, category, event id, message.</summary>
    Text,

    /// <summary>
    /// One JSON object per line (Microsoft.Extensions.Logging's JSON console formatter): <c>Timestamp</c> (UTC),
    /// <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>, <c>Message</c>, <c>Exception</c>, <c>State</c> (the message's
    /// named values) and <c>Scopes</c>; nothing else is written to stderr, so a log shipper can parse every line.
    /// </summary>
    Json,
}

using Microsoft.Extensions.Logging;

namespace Courier.Testing;

/// <summary>One entry a <see cref="LogCapture"/> kept.</summary>
public sealed record LogEntry(LogLevel Level, string Category, int EventId, string Message)
{
    /// <summary><c>Warning Category[3] text</c>.</summary>
    public override string ToString() => $"{Level} {Category}[{EventId}] {Message}";
}

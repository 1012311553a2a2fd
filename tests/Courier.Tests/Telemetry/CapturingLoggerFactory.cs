using Courier.Tests.Runners;
using Microsoft.Extensions.Logging;

namespace Courier.Tests.Telemetry;

/// <summary>A logger factory whose every logger is one <see cref="CapturingLogger{T}"/>.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public CapturingLogger<CourierTelemetry> Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}

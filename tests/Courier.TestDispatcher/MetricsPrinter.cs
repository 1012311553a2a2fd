using Courier.TestPrograms;

namespace Courier.TestDispatcher;

/// <summary>
/// Prints every <c>courier.*</c> instrument of Courier's meter as <c>metric NAME{tag=value,…} VALUE</c> lines on
/// stdout (see <see cref="MeterText"/>). A parent test reads them as it would read a /metrics page.
/// </summary>
internal sealed class MetricsPrinter : IDisposable
{
    private readonly MeterText _meter = new(CourierTelemetry.Name);
    private readonly Lock _printLock = new();

    /// <summary>Observes the gauges now and prints every series.</summary>
    public void Print(TextWriter output)
    {
        var text = _meter.Render("metric ");
        lock (_printLock)
        {
            output.Write(text);
            output.Flush();
        }
    }

    public void Dispose() => _meter.Dispose();
}

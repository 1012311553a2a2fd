namespace Courier.EndToEnd.Incident;

/// <summary>One deployed build of the dispatchers: its dispatcher and its own telemetry, disposed together.</summary>
internal sealed class DispatcherBuild(Dispatcher dispatcher, CourierTelemetry telemetry) : IAsyncDisposable
{
    public Dispatcher Dispatcher { get; } = dispatcher;

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync();
        telemetry.Dispose();
    }
}

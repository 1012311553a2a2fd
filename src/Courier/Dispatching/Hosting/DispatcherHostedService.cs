using Microsoft.Extensions.Hosting;

namespace Courier.Dispatching.Hosting;

/// <summary>Runs the dispatcher for the lifetime of the host (nothing when the dispatcher is disabled).</summary>
internal sealed class DispatcherHostedService(Dispatcher? dispatcher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        dispatcher?.StartAsync(cancellationToken) ?? Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        dispatcher?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}

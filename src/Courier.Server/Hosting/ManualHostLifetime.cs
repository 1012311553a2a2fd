using Microsoft.Extensions.Hosting;

namespace Courier.Server.Hosting;

/// <summary>
/// A host lifetime that leaves signals alone. The default console lifetime would take Ctrl+C itself; the
/// <c>courier</c> command owns it instead, so the first Ctrl+C can stop the live display, drain the dispatcher and
/// print the summary in order.
/// </summary>
internal sealed class ManualHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Courier.Server.Admin;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Support;

/// <summary>Runs a server until its one massMessage job has ended, and asserts it succeeded (saying why when it did not).</summary>
internal static class OneMassMessage
{
    /// <summary>Waits for the job to succeed or be dead-lettered, stops the server, and returns the type's stats.</summary>
    public static async Task<JobTypeStats> SucceedsAsync(CourierServer server, CancellationToken ct)
    {
        await Eventually.TrueAsync(
            () => server.Dispatcher.GetStats().Single(s => s.Type == DemoJobTypes.MassMessage) is { Succeeded: > 0 } or { DeadLettered: > 0 },
            "the massMessage job succeeded or was dead-lettered",
            TimeSpan.FromSeconds(30),
            () => string.Join("; ", server.Dispatcher.GetStats()));
        await server.StopAsync(ct);

        var stats = server.Dispatcher.GetStats().Single(s => s.Type == DemoJobTypes.MassMessage);
        var deadLetters = await new DeadLetterStore(server.Log, server.CourierOptions).ListAsync(null, ct);
        Assert.True(stats.Succeeded == 1, "dead-lettered: " + string.Join("; ", deadLetters.Select(d => d.DeadLetter.Message)));
        return stats;
    }
}

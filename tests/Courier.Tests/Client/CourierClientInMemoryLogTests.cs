namespace Courier.Tests.Client;

/// <summary>The client's log-facing tests on the in-test memory log (point them at each real engine as it lands).</summary>
public sealed class CourierClientInMemoryLogTests : CourierClientLogTests
{
    protected override ValueTask<IJobLog> CreateLogAsync() => ValueTask.FromResult<IJobLog>(new InMemoryJobLog());
}

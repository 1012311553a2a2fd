using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The end-to-end alerting tests run alone, after the parallel tests, and share one pipeline
/// (<see cref="EndToEndFixture"/>). Alone, because every dispatcher in the test process exports every measurement of
/// the meter <c>Courier</c> (OpenTelemetry listens to meters by name, process-wide): another test's dispatcher running
/// at the same time would add its job outcomes to what Prometheus scrapes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "end-to-end alerting";
}

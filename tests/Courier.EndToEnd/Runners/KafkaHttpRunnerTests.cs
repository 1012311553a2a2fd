namespace Courier.EndToEnd.Runners;

/// <summary>The HTTP runner scenarios on Kafka (a mock cluster in the test process).</summary>
public sealed class KafkaHttpRunnerTests : HttpRunnerEndToEndTests
{
    protected override RunnerEngine CreateEngine() => RunnerEngine.Kafka();
}

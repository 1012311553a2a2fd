using Courier.EndToEnd.Runners;

namespace Courier.EndToEnd.Rollout;

/// <summary>The canary incident replay on Kafka (a mock cluster in the test process).</summary>
public sealed class KafkaCanaryIncidentTests : CanaryIncidentTests
{
    protected override RunnerEngine CreateEngine() => RunnerEngine.Kafka();
}

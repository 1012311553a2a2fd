using Courier.Server.Hosting;

namespace Courier.Cli.Settings;

/// <summary>
/// The job log engine a command runs on, and the development cluster it started for it (<c>--kafka dev</c>), which
/// lives exactly as long as the command: disposing stops its brokers.
/// </summary>
internal sealed class EngineLease(JobLogEngine engine, KafkaDevCluster? devCluster) : IDisposable
{
    public JobLogEngine Engine { get; } = engine;

    public KafkaDevCluster? DevCluster { get; } = devCluster;

    public void Dispose() => DevCluster?.Dispose();
}

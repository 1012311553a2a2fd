using System.Globalization;
using Courier.Testing;

namespace Courier.Chaos.Fleet;

/// <summary>
/// The dispatchers: <c>courier serve --demo --config …</c> processes of the built CLI, all in one consumer group on
/// one engine, so a killed one's partitions go to the others and back to it when it restarts.
/// </summary>
internal sealed class DispatcherFleet : IDisposable
{
    private readonly List<FleetMember> _members = [];

    public DispatcherFleet(ChaosFiles files, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"dispatcher-{i}");
            _members.Add(new FleetMember(name, Path.Combine(files.Logs, name + ".log"), IsReadyLine, (onLine, onExit) => ChildProcess.Start(
                "Courier.Cli.dll",
                ["serve", "--demo", "--config", files.Config, "--metrics-port", "0", "--progress-interval", "10"],
                onLine: onLine, onExit: onExit)));
        }
    }

    public IReadOnlyList<FleetMember> Members => _members;

    /// <summary><c>courier serve</c>'s line once it serves (ServeLog.Started).</summary>
    private static bool IsReadyLine(bool error, string line) => line.Contains("Courier serving: engine", StringComparison.Ordinal);

    public void Start()
    {
        foreach (var member in _members)
        {
            member.Start();
        }
    }

    public Task StopAsync() => Task.WhenAll(_members.Select(m => m.StopAsync()));

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Dispose();
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Chaos.Fleet;

/// <summary>
/// The runner pool: <c>courier runner</c> processes (the demo handlers, signed requests with the shared key), each
/// behind its <see cref="FaultProxy"/>. A restarted runner listens on a new port; its proxy follows it, reading the
/// URL the runner prints (<c>--json</c>).
/// </summary>
internal sealed class RunnerFleet : IAsyncDisposable
{
    private readonly List<FleetMember> _members = [];
    private readonly List<FaultProxy> _proxies = [];

    private RunnerFleet(string secret) => Secret = secret;

    /// <summary>The signing key's secret, in the runners' key file and the dispatchers' pool.</summary>
    public string Secret { get; }

    public IReadOnlyList<FleetMember> Members => _members;

    public IReadOnlyList<FaultProxy> Proxies => _proxies;

    public static async Task<RunnerFleet> StartAsync(ChaosFiles files, int count, CancellationToken cancellationToken)
    {
        var fleet = new RunnerFleet(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        await File.WriteAllTextAsync(files.RunnerKeys, $"{ChaosRules.KeyId}={fleet.Secret}\n", cancellationToken);
        // courier runner refuses a key file others may read.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(files.RunnerKeys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        for (var i = 0; i < count; i++)
        {
            var proxy = await FaultProxy.StartAsync(cancellationToken);
            fleet._proxies.Add(proxy);
            var name = string.Create(CultureInfo.InvariantCulture, $"runner-{i}");
            var data = files.RunnerData(i);
            Directory.CreateDirectory(data);
            var member = new FleetMember(name, Path.Combine(files.Logs, name + ".log"), (error, line) => !error && UrlOf(line) is not null, (onLine, onExit) =>
            {
                proxy.SetUpstream(null);
                return ChildProcess.Start("Courier.Cli.dll",
                    ["runner", "--port", "0", "--json", "--keys-file", files.RunnerKeys, "--data", data,
                     "--execution-limit", ChaosRules.RunnerExecutionLimitSeconds.ToString(CultureInfo.InvariantCulture), "--max-concurrency", "256"],
                    onLine: onLine, onExit: onExit);
            })
            {
                OnLine = (error, line) =>
                {
                    if (!error && UrlOf(line) is { } url)
                    {
                        proxy.SetUpstream(url);
                    }
                },
            };
            fleet._members.Add(member);
            member.Start();
        }
        return fleet;
    }

    private static Uri? UrlOf(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("url", out var url) && url.GetString() is { } text ? new Uri(text) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task StopAsync() => Task.WhenAll(_members.Select(m => m.StopAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            member.Dispose();
        }
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }
    }
}

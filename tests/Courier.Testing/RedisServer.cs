using System.Globalization;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian package <c>redis-server</c>) on a free 127.0.0.1 port, without persistence (no
/// RDB snapshots, no append-only file) and with its working directory in a temporary directory. It can be stopped and
/// started again on the same port for outage tests; disposing kills it and deletes the directory.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string ReadyLine = "Ready to accept connections";
    private const int StartAttempts = 3;

    private readonly string _binary;
    private readonly TempDirectory _directory = new("redis");
    private ChildProcess? _process;

    private RedisServer(string binary) => _binary = binary;

    /// <summary>The port it listens on, the same across <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>: a StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether it is running now.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Starts a server on a free port and waits until it accepts connections. Skips the test (fails it on CI) when
    /// redis-server is not installed.
    /// </summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(SystemTool.Require("redis-server", "the Redis state store tests", "redis-server"));
        try
        {
            // The free port is found by binding and releasing it; should another process take it in between, the
            // server exits at once and is started again on another.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = LoopbackApp.RefusingUrl().Port;
                if (await server.TryStartAsync())
                {
                    return server;
                }
                Assert.True(attempt < StartAttempts, "redis-server exited before it was ready:\n" + server._process?.Tail(label: "redis"));
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the stopped server again on the same port (keys are gone: nothing is persisted).</summary>
    public async Task RestartAsync()
    {
        Assert.False(IsRunning, "redis-server is already running");
        Assert.True(await TryStartAsync(), $"redis-server did not start again on port {Port}:\n" + _process?.Tail(label: "redis"));
    }

    /// <summary>Kills the server (as a crash or a network cut would look to clients) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.KillHard();
            await process.WaitForExitAsync(Eventually.DefaultBound);
        }
    }

    /// <summary>The server's last log lines, for failure messages.</summary>
    public string Tail(int lines = 40) => _process?.Tail(lines, "redis") ?? "";

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Starts the process on <see cref="Port"/>; true once it is ready, false if it exited first.</summary>
    private async Task<bool> TryStartAsync()
    {
        _process?.Dispose();
        var process = _process = ChildProcess.StartProgram(_binary,
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", _directory.Path,
            "--logfile", "",
            "--daemonize", "no",
        ], _directory.Path);
        await Eventually.TrueAsync(() => process.HasExited || process.Stdout.Contains(ReadyLine, StringComparison.Ordinal),
            "redis-server is ready", state: () => process.Tail(label: "redis"));
        return !process.HasExited;
    }
}

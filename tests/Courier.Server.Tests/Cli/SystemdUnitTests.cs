using System.Globalization;
using Courier.Server.Hosting;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// The shipped systemd units (deploy/systemd): <c>systemd-analyze verify</c> finds nothing to say about them, and each
/// gives its command more time to stop than Courier's own bound on a graceful stop, so SIGKILL never cuts a drain short.
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string UnitDirectory = Path.Combine(RepositoryRoot.Path, "deploy", "systemd");

    /// <summary>Where Debian keeps the system's units (/lib is a link to /usr/lib since Debian 12).</summary>
    private static readonly string[] SystemUnitDirectories = ["/usr/lib/systemd/system", "/lib/systemd/system"];

    [Fact]
    public async Task Units_PassSystemdAnalyzeVerify_WithoutAWarning()
    {
        // An alternate root holding the system's units (for the targets ours depend on), ours, and a stand-in at
        // ExecStart's path, as verify checks that the command exists.
        using var root = new TempDirectory("systemd-root");
        var systemUnits = SystemUnitDirectories.FirstOrDefault(Directory.Exists);
        Assert.True(systemUnits is not null && File.Exists("/usr/bin/systemd-analyze"),
            "systemd-analyze is missing: install Debian's systemd package (scripts/test.sh installs it)");
        CopyDirectory(systemUnits, Path.Combine(root.Path, "usr", "lib", "systemd", "system"));
        var ours = Path.Combine(root.Path, "etc", "systemd", "system");
        Directory.CreateDirectory(ours);
        foreach (var unit in Directory.GetFiles(UnitDirectory, "*.service"))
        {
            File.Copy(unit, Path.Combine(ours, Path.GetFileName(unit)));
            var command = Path.Combine(root.Path, Unit.Read(unit).Single("ExecStart").Split(' ')[0].TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(command)!);
            await File.WriteAllTextAsync(command, "#!/bin/sh\n", TestContext.Current.CancellationToken);
            if (!OperatingSystem.IsWindows()) // Unix file modes; systemd runs nowhere else anyway
            {
                File.SetUnixFileMode(command, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }
        }

        using var verify = ChildProcess.StartProgram("systemd-analyze", ["verify", "--root=" + root.Path, "courier.service", "courier-runner@9470.service"]);

        Assert.True(await verify.WaitForExitAsync(Eventually.DefaultBound) == 0, verify.Tail());
        // Directives it cannot parse are only warned about ("ignoring"), with exit 0: any output is a failure.
        Assert.True(verify.Lines.Count == 0, verify.Tail());
    }

    [Fact]
    public void Serve_StopTimeout_ExceedsTheDrainBound_AndItsMargin()
    {
        var unit = Unit.Read(Path.Combine(UnitDirectory, "courier.service"));

        // dispatcher.shutdown_drain_timeout, then up to 10 s for the final commit and leaving the group (Dispatcher.DisposeAsync).
        var bound = new DispatcherOptions().ShutdownDrainTimeout + TimeSpan.FromSeconds(10);
        Assert.True(unit.Seconds("TimeoutStopSec") > bound, $"TimeoutStopSec {unit.Single("TimeoutStopSec")} is not above {bound.TotalSeconds} s");
        Assert.StartsWith("/opt/courier/courier serve --config /etc/courier/courier.yaml", unit.Single("ExecStart"), StringComparison.Ordinal);
        AssertServiceBasics(unit, "courier");
    }

    [Fact]
    public void Runner_StopTimeout_ExceedsTheExecutionLimit_AndTheHostsMargin()
    {
        var unit = Unit.Read(Path.Combine(UnitDirectory, "courier-runner@.service"));

        // Running jobs finish within the execution limit; the runner host allows 5 s more (CourierRunnerHost).
        var bound = CourierRunnerHostOptions.DefaultExecutionLimit + TimeSpan.FromSeconds(5);
        Assert.True(unit.Seconds("TimeoutStopSec") > bound, $"TimeoutStopSec {unit.Single("TimeoutStopSec")} is not above {bound.TotalSeconds} s");
        Assert.DoesNotContain("--execution-limit", unit.Single("ExecStart"), StringComparison.Ordinal);
        AssertServiceBasics(unit, "courier-runner/%i");
    }

    private static void AssertServiceBasics(Unit unit, string stateDirectory)
    {
        Assert.Contains("--log-format json", unit.Single("ExecStart"), StringComparison.Ordinal);
        Assert.Equal("SIGTERM", unit.Single("KillSignal"));
        Assert.Equal("on-failure", unit.Single("Restart"));
        Assert.Equal("courier", unit.Single("User"));
        Assert.Equal(stateDirectory, unit.Single("StateDirectory"));
        Assert.Equal("journal", unit.Single("StandardError"));
        Assert.Equal("yes", unit.Single("NoNewPrivileges"));
        Assert.Equal("strict", unit.Single("ProtectSystem"));
        Assert.Equal("yes", unit.Single("PrivateTmp"));
        Assert.StartsWith("/var/lib/courier", unit.Single("ReadWritePaths"), StringComparison.Ordinal);
        Assert.Contains("/etc/courier/", unit.Single("EnvironmentFile"), StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyDirectory(directory.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    /// <summary>A unit file's <c>Key=value</c> lines (comments and section headers left out).</summary>
    private sealed class Unit(IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        public static Unit Read(string path) => new([.. File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && l[0] is not ('#' or ';' or '['))
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf('=', StringComparison.Ordinal)], l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))]);

        public string Single(string key) => Assert.Single(entries, e => e.Key == key).Value;

        /// <summary>A time span given in seconds, bare or with <c>s</c>.</summary>
        public TimeSpan Seconds(string key) => TimeSpan.FromSeconds(double.Parse(Single(key).TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}

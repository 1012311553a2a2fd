using System.Text.RegularExpressions;
using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// One of the sample's apps running as its own process on a free loopback port (<c>--urls http://127.0.0.1:0</c>);
/// its address is read from the line ASP.NET Core logs when it listens.
/// </summary>
public sealed partial class SampleAppProcess : IDisposable
{
    private readonly ChildProcess _process;

    private SampleAppProcess(ChildProcess process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>; null until the app listens.</summary>
    public Uri? BaseUrl => _process.Lines.Select(l => ListeningLine().Match(l)).FirstOrDefault(m => m.Success) is { } match
        ? new Uri(match.Groups[1].Value)
        : null;

    public ChildProcess Process => _process;

    /// <summary>
    /// Starts <paramref name="project"/> of <paramref name="workspace"/> with <paramref name="environment"/>
    /// (<c>NAME=value</c>) and <paramref name="arguments"/> (configuration, <c>--Section:Key=value</c>), in its
    /// project folder as <c>dotnet run</c> would, and waits until it listens.
    /// </summary>
    public static Task<SampleAppProcess> StartAsync(SampleAppWorkspace workspace, string project, IEnumerable<string> environment,
        IEnumerable<string> arguments) =>
        StartAsync(project, workspace.Assembly(project), Path.Combine(workspace.Samples, project), environment, arguments);

    /// <summary>
    /// Starts the app built as <paramref name="assembly"/>, named <paramref name="name"/> in messages, in
    /// <paramref name="workingDirectory"/> (its project folder, as <c>dotnet run</c> would), with
    /// <paramref name="environment"/> and <paramref name="arguments"/>, and waits until it listens.
    /// </summary>
    public static async Task<SampleAppProcess> StartAsync(string name, string assembly, string workingDirectory,
        IEnumerable<string> environment, IEnumerable<string> arguments)
    {
        var process = ChildProcess.StartProgram("env",
            [.. environment, "DOTNET_NOLOGO=1", "NO_COLOR=1", IsolatedDotnet.Dotnet, assembly, "--urls", "http://127.0.0.1:0", .. arguments],
            workingDirectory);
        var app = new SampleAppProcess(process, name);
        await Eventually.TrueAsync(() => app.BaseUrl is not null || process.HasExited, $"{name} listens",
            TimeSpan.FromMinutes(2), () => process.Tail());
        Assert.False(process.HasExited, $"{name} exited at start:\n{process.Tail()}");
        return app;
    }

    /// <summary>Sends SIGTERM, as a service manager would, and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _process.TerminateAsync();
        return await _process.WaitForExitAsync(TimeSpan.FromMinutes(2));
    }

    public void Dispose() => _process.Dispose();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}

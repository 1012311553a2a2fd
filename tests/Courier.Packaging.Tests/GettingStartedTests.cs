using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// docs/getting-started.md followed as a new user would, its code blocks taken verbatim from the page: part 1's
/// commands make the <c>Hello</c> app from <c>dotnet new web</c> and the packed packages, its <c>Program.cs</c> is the
/// guide's, and a <c>POST /greet/Ada</c> shows <c>Hello, Ada!</c> in its log; part 2's commands and code make
/// <c>HelloRunner</c>, its snippets are applied to <c>Hello</c>'s <c>Program.cs</c>, and a <c>POST /shout/Ada</c>
/// shows <c>HELLO, ADA!</c> in the runner's log. Only what a test must change is changed: the packages folder
/// (<c>~/courier-packages</c>) is <see cref="PackedFeed.Directory"/>, and the apps listen on free ports.
/// </summary>
public sealed partial class GettingStartedTests(PackedFeed feed)
{
    private const string Guide = "docs/getting-started.md";

    private const string GuidePackages = "~/courier-packages";

    [Fact]
    public async Task TheGuide_FollowedVerbatim_RunsAJobInTheApp_ThenOneOnTheRunner()
    {
        var guide = GuideDocument.Read(Guide);
        guide.Next("sh", "scripts/pack.sh " + GuidePackages, "the pack command");
        var helloSetup = guide.Next("sh", "dotnet new web -o Hello\n", "part 1's commands");
        var helloProgram = guide.Next("csharp", "AddHandler<GreetHandler, GreetParams>(\"greet\")", "part 1's Program.cs");
        guide.Next("sh", "/greet/Ada", "part 1's run commands");
        var runnerSetup = guide.Next("sh", "dotnet new web -o HelloRunner\n", "part 2's commands");
        var runnerProgram = guide.Next("csharp", "AddCourierRunner()", "HelloRunner's Program.cs");
        var dispatcherSnippet = guide.Next("csharp", ".ConfigureDispatcher(", "part 2's dispatcher configuration");
        var shoutSnippet = guide.Next("csharp", "app.MapPost(\"/shout/{name}\"", "part 2's /shout endpoint");
        var runCommands = guide.Next("sh", "COURIER_RUNNER_KEYS=", "part 2's run commands");

        // The version the guide installs is the one packed from Directory.Build.props, so the page cannot drift from it.
        var versions = VersionOption().Matches(guide.Text).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(versions.SequenceEqual([feed.Version]) && guide.Text.Contains($"`{feed.Version}` below", StringComparison.Ordinal),
            $"{Guide} installs version {string.Join(", ", versions)}; the packages are {feed.Version} (Directory.Build.props)");

        using var directory = new TempDirectory("getting-started");
        var dotnet = new IsolatedDotnet(Path.Combine(directory.Path, "packages"));
        var work = Path.Combine(directory.Path, "work");
        Directory.CreateDirectory(work);
        var hello = Path.Combine(work, "Hello");
        var helloRunner = Path.Combine(work, "HelloRunner");
        using var http = new HttpClient();

        // Part 1: the app, its packages from the feed, the guide's Program.cs; a job enqueued over HTTP runs in-process.
        await RunCommandsAsync(dotnet, work, helloSetup);
        AssertRestoredFromFeed(dotnet, "Courier");
        AssertRestoredFromFeed(dotnet, "Courier.Sqlite");
        await File.WriteAllTextAsync(Path.Combine(hello, "Program.cs"), helloProgram.Text, TestContext.Current.CancellationToken);
        await BuildAsync(dotnet, hello);
        using (var app = await StartAsync(hello, []))
        {
            await PostAcceptedAsync(http, new Uri(app.BaseUrl!, "/greet/Ada"));
            await WaitForLogAsync(app, "Hello, Ada!");
            Assert.True(await app.StopAsync() == 0, "Hello did not exit 0 on SIGTERM:\n" + app.Process.Tail());
        }

        // Part 2: the runner, then Hello with a pool naming it and a /shout endpoint; one signing key for both.
        var runnerUrl = RunnerUrl().Match(runCommands.Text) is { Success: true } url
            ? url.Groups[1].Value
            : throw new InvalidOperationException($"{Guide}: no 'dotnet run --urls … # in HelloRunner' in the block at line {runCommands.Line}");
        Assert.Contains(runnerUrl, dispatcherSnippet.Text, StringComparison.Ordinal);
        await RunCommandsAsync(dotnet, work, runnerSetup);
        AssertRestoredFromFeed(dotnet, "Courier.Runner");
        await File.WriteAllTextAsync(Path.Combine(helloRunner, "Program.cs"), runnerProgram.Text, TestContext.Current.CancellationToken);
        await BuildAsync(dotnet, helloRunner);
        string[] keys = ["COURIER_RUNNER_KEYS=hello=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))];
        using var runner = await StartAsync(helloRunner, keys);

        var program = ApplySnippets(helloProgram, dispatcherSnippet, shoutSnippet)
            .Replace(runnerUrl, runner.BaseUrl!.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(hello, "Program.cs"), program, TestContext.Current.CancellationToken);
        await BuildAsync(dotnet, hello);
        using var app2 = await StartAsync(hello, keys);
        await PostAcceptedAsync(http, new Uri(app2.BaseUrl!, "/shout/Ada"));
        await WaitForLogAsync(runner, "HELLO, ADA!", app2);

        Assert.True(await app2.StopAsync() == 0, "Hello did not exit 0 on SIGTERM:\n" + app2.Process.Tail());
        Assert.True(await runner.StopAsync() == 0, "HelloRunner did not exit 0 on SIGTERM:\n" + runner.Process.Tail());
    }

    /// <summary>
    /// Part 1's <c>Program.cs</c> with part 2's snippets applied as the guide says: the dispatcher configuration replaces
    /// the one-line <c>.ConfigureDispatcher(…)</c>, the endpoint goes before <c>app.Run();</c>.
    /// </summary>
    private static string ApplySnippets(GuideCodeBlock program, GuideCodeBlock dispatcher, GuideCodeBlock endpoint)
    {
        var lines = program.Text.TrimEnd('\n').Split('\n').ToList();
        var configure = SingleLine(lines, l => l.TrimStart().StartsWith(".ConfigureDispatcher(", StringComparison.Ordinal), ".ConfigureDispatcher(…)", program);
        lines[configure] = dispatcher.Text.TrimEnd('\n');
        var run = SingleLine(lines, l => l == "app.Run();", "app.Run();", program);
        lines.Insert(run, endpoint.Text);
        return string.Join('\n', lines) + "\n";
    }

    private static int SingleLine(List<string> lines, Func<string, bool> match, string what, GuideCodeBlock block)
    {
        var found = lines.Select((l, i) => (l, i)).Where(x => match(x.l)).Select(x => x.i).ToList();
        Assert.True(found.Count == 1, $"{Guide}: the Program.cs at line {block.Line} should have one '{what}' line for part 2's snippets, has {found.Count}");
        return found[0];
    }

    /// <summary>
    /// Runs a block of the guide's commands with bash (stopping at the first that fails) in <paramref name="directory"/>,
    /// the guide's packages folder replaced by the feed, <c>dotnet</c> the host running the tests.
    /// </summary>
    private async Task RunCommandsAsync(IsolatedDotnet dotnet, string directory, GuideCodeBlock block)
    {
        Assert.Contains(GuidePackages, block.Text, StringComparison.Ordinal);
        var script = "set -eu\n" + block.Text.Replace(GuidePackages, "'" + feed.Directory.Replace("'", @"'\''", StringComparison.Ordinal) + "'", StringComparison.Ordinal);
        string[] path = Path.IsPathRooted(IsolatedDotnet.Dotnet)
            ? ["PATH=" + Path.GetDirectoryName(IsolatedDotnet.Dotnet) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH")]
            : [];
        var (exitCode, output) = await dotnet.RunProgramAsync(directory, ["bash", "-c", script], path);
        Assert.True(exitCode == 0, $"{Guide}: the commands at line {block.Line} failed (exit {exitCode}):\n{block.Text}\n{output}");
    }

    /// <summary>Package <paramref name="id"/> was restored from the packed feed, not from any other source.</summary>
    private void AssertRestoredFromFeed(IsolatedDotnet dotnet, string id)
    {
        var metadata = Path.Combine(dotnet.PackagesFolder, id.ToLowerInvariant(), feed.Version.ToLowerInvariant(), ".nupkg.metadata");
        Assert.True(File.Exists(metadata), $"{id} {feed.Version} was not restored ({metadata} is missing)");
        using var json = JsonDocument.Parse(File.ReadAllText(metadata));
        var source = json.RootElement.GetProperty("source").GetString();
        Assert.Equal(Path.GetFullPath(feed.Directory).TrimEnd('/'), Path.GetFullPath(source!).TrimEnd('/'));
    }

    private static async Task BuildAsync(IsolatedDotnet dotnet, string project)
    {
        var (exitCode, output) = await dotnet.RunAsync(project, ["build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false"]);
        Assert.True(exitCode == 0, $"{Path.GetFileName(project)} did not build (exit {exitCode}):\n{output}");
    }

    private static Task<SampleAppProcess> StartAsync(string project, IEnumerable<string> environment)
    {
        var name = Path.GetFileName(project);
        return SampleAppProcess.StartAsync(name, Path.Combine(project, "bin", "Release", "net10.0", name + ".dll"), project, environment, []);
    }

    private static async Task PostAcceptedAsync(HttpClient http, Uri url)
    {
        using var response = await http.PostAsync(url, content: null, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted,
            $"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    private static Task WaitForLogAsync(SampleAppProcess app, string text, SampleAppProcess? other = null) =>
        Eventually.TrueAsync(() => app.Process.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)),
            $"{app.Name}'s log shows '{text}'", TimeSpan.FromMinutes(2),
            () => app.Process.Tail(30, app.Name) + (other is null ? "" : other.Process.Tail(30, other.Name)));

    [GeneratedRegex(@"--version (\S+)")]
    private static partial Regex VersionOption();

    [GeneratedRegex(@"dotnet run --urls (\S+)\s+# in HelloRunner")]
    private static partial Regex RunnerUrl();
}

using System.Text.RegularExpressions;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Layout;

/// <summary>
/// The rules that keep the source tree one a newcomer can find their way in, checked on every build rather than
/// remembered: namespaces follow folders, no folder is named for visibility, files stay readable in one sitting,
/// Confluent.Kafka is spoken only by the Kafka engine, and internals are opened only to tests (and Courier.Server's to the
/// courier tool).
/// </summary>
public sealed partial class SourceLayoutTests
{
    /// <summary>The longest source file allowed; past it, split the file by responsibility.</summary>
    private const int MaxLines = 450;

    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "src");

    [Fact]
    public void Namespaces_FollowFolders_ExceptThePublicApiInCourier()
    {
        // One exception, on purpose: public types a user's code names (CourierClient, IJobHandler<T>, UseKafka, …)
        // live in `Courier`, so an application needs one using whatever engine or feature it picks.
        var wrong = SourceFiles()
            .Select(file => (file, expected: FolderNamespace(file), actual: Namespace(File.ReadAllText(file))))
            .Where(f => f.actual is not null && f.actual != f.expected && !(f.actual == "Courier" && OnlyPublicTypes(f.file)))
            .Select(f => $"{Relative(f.file)}: namespace {f.actual}, folder says {f.expected}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void NoFolder_IsNamedForVisibility()
    {
        var internalFolders = Directory.EnumerateDirectories(Source, "Internal", SearchOption.AllDirectories)
            .Where(d => !IsBuildOutput(d)).Select(Relative).ToList();
        Assert.True(internalFolders.Count == 0, "folders named for visibility, not purpose: " + string.Join(", ", internalFolders));
    }

    [Fact]
    public void SourceFiles_AreShortEnoughToReadInOneSitting()
    {
        var longFiles = SourceFiles()
            .Select(file => (file, lines: File.ReadLines(file).Count()))
            .Where(f => f.lines > MaxLines)
            .Select(f => $"{Relative(f.file)}: {f.lines} lines")
            .ToList();
        Assert.True(longFiles.Count == 0, $"files over {MaxLines} lines: " + string.Join(", ", longFiles));
    }

    [Fact]
    public void ConfluentKafka_IsUsedOnlyByTheKafkaEngine()
    {
        var outside = SourceFiles()
            .Where(file => !Relative(file).StartsWith("Courier.Kafka" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(file => File.ReadAllText(file).Contains("using Confluent.Kafka", StringComparison.Ordinal))
            .Select(Relative)
            .ToList();
        Assert.True(outside.Count == 0, "Confluent.Kafka used outside Courier.Kafka: " + string.Join(", ", outside));
    }

    private static readonly string[] HarnessFolders = ["tests", "bench", "fuzz"];

    /// <summary>
    /// The one product friend, on purpose: the courier tool is Courier.Server's own front end, shipped at the same
    /// version, so what only the tool uses stays out of Courier.Server's public API (docs/packages.md).
    /// </summary>
    private static readonly HashSet<(string Project, string Friend)> ToolFriends = [("Courier.Server", "Courier.Cli")];

    [Fact]
    public void InternalsAreOpenedOnlyToTestsAndBenchmarks()
    {
        // An engine or host that needs a core internal is an API that is missing: make it public and documented
        // instead of widening the friend list. Tests, test programs, the fuzz targets (which drive an edge's own
        // internal checks, as its endpoint does) and the benchmark may look inside.
        var harness = HarnessFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.csproj", SearchOption.AllDirectories))
            .Select(Path.GetFileNameWithoutExtension)
            .ToHashSet(StringComparer.Ordinal);
        var opened = Directory.EnumerateFiles(Source, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(project => FriendAssembly().Matches(File.ReadAllText(project))
                .Select(m => (project: Path.GetFileNameWithoutExtension(project), friend: m.Groups[1].Value)))
            .Where(f => !harness.Contains(f.friend) && !ToolFriends.Contains(f))
            .Select(f => $"{f.project} → {f.friend}")
            .ToList();
        Assert.True(opened.Count == 0, "internals opened to product code: " + string.Join(", ", opened));
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f));

    private static bool IsBuildOutput(string path)
    {
        var sep = Path.DirectorySeparatorChar;
        return path.Contains($"{sep}obj{sep}", StringComparison.Ordinal) || path.Contains($"{sep}bin{sep}", StringComparison.Ordinal)
            || path.EndsWith($"{sep}obj", StringComparison.Ordinal) || path.EndsWith($"{sep}bin", StringComparison.Ordinal);
    }

    private static string Relative(string path) => Path.GetRelativePath(Source, path);

    /// <summary>src/Courier.Server/Admin/X.cs → Courier.Server.Admin: the project folder is the root namespace.</summary>
    private static string FolderNamespace(string file) =>
        Path.GetDirectoryName(Relative(file))!.Replace(Path.DirectorySeparatorChar, '.');

    private static string? Namespace(string text) => NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    private static bool OnlyPublicTypes(string file)
    {
        var declarations = TypeDeclaration().Matches(File.ReadAllText(file));
        return declarations.Count > 0 && declarations.All(d => d.Groups[1].Value.Contains("public", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"<InternalsVisibleTo\s+Include=""([^""]+)""")]
    private static partial Regex FriendAssembly();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    /// <summary>Top-level type declarations: at the start of a line, no indentation (file-scoped namespaces).</summary>
    [GeneratedRegex(@"^((?:(?:public|internal|file|static|sealed|abstract|partial|readonly|ref|unsafe)\s+)*)(?:class|struct|interface|enum|record|delegate)\s", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}

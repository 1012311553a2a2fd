using System.Text.RegularExpressions;
using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// A Markdown guide's <c>```csharp</c> and <c>```sh</c> blocks, in order, taken one at a time by a test that follows the
/// guide: each is expected to be of a language and to hold a marker text, so a guide whose structure changed fails with
/// a message naming the block it no longer finds, rather than running the wrong one.
/// </summary>
public sealed partial class GuideDocument
{
    private readonly string _name;
    private readonly IReadOnlyList<GuideCodeBlock> _blocks;
    private int _next;

    private GuideDocument(string name, string text, IReadOnlyList<GuideCodeBlock> blocks)
    {
        _name = name;
        Text = text;
        _blocks = blocks;
    }

    /// <summary>The whole page, as read.</summary>
    public string Text { get; }

    /// <summary>The guide's <c>csharp</c> and <c>sh</c> blocks, in order (other fenced blocks are left out).</summary>
    public IReadOnlyList<GuideCodeBlock> Blocks => _blocks;

    /// <summary>Reads <paramref name="relativePath"/> of the repository (e.g. <c>docs/getting-started.md</c>).</summary>
    public static GuideDocument Read(string relativePath) =>
        Parse(relativePath, File.ReadAllText(Path.Combine(RepositoryRoot.Path, relativePath)));

    /// <summary>
    /// The fenced blocks of <paramref name="markdown"/>: a line <c>```lang</c> opens one, a line <c>```</c> closes it; a
    /// fence left open fails.
    /// </summary>
    public static GuideDocument Parse(string name, string markdown)
    {
        var blocks = new List<GuideCodeBlock>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = OpeningFence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !ClosingFence().IsMatch(lines[i]); i++)
            {
                body.Add(lines[i]);
            }
            Assert.True(i < lines.Length, $"{name}: the code block opened at line {start + 1} is never closed");
            var language = open.Groups[1].Value;
            if (language is "csharp" or "sh")
            {
                blocks.Add(new GuideCodeBlock(language, string.Join('\n', body) + "\n", start + 1));
            }
        }
        return new GuideDocument(name, markdown, blocks);
    }

    /// <summary>
    /// The next block, which must be a <paramref name="language"/> block holding <paramref name="marker"/>; fails the
    /// test, naming <paramref name="what"/>, if it is not.
    /// </summary>
    public GuideCodeBlock Next(string language, string marker, string what)
    {
        Assert.True(_next < _blocks.Count,
            $"{_name}: expected {what} (a ```{language} block with '{marker}') as code block {_next + 1}, but the guide has only {_blocks.Count}");
        var block = _blocks[_next++];
        Assert.True(block.Language == language && block.Text.Contains(marker, StringComparison.Ordinal),
            $"{_name}: expected {what} (a ```{language} block with '{marker}') as code block {_next}, found a ```{block.Language} block at line {block.Line}:\n{block.Text}");
        return block;
    }

    [GeneratedRegex(@"^```([A-Za-z0-9_+-]*)\s*$")]
    private static partial Regex OpeningFence();

    [GeneratedRegex(@"^```\s*$")]
    private static partial Regex ClosingFence();
}

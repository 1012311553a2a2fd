using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Courier.Cli.Contracts;

/// <summary>Reads files of a git revision through the <c>git</c> command (a child process), for <c>schema check --against-git</c>.</summary>
internal sealed class GitRepository
{
    private readonly string _directory;

    private GitRepository(string directory, string prefix)
    {
        _directory = directory;
        Prefix = prefix;
    }

    /// <summary>The directory's path inside the repository, with a trailing <c>/</c> (empty at the top).</summary>
    public string Prefix { get; }

    /// <summary>The repository that holds <paramref name="directory"/>; a usage error when there is none.</summary>
    public static async Task<GitRepository> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync(directory, ["rev-parse", "--show-prefix"], cancellationToken);
        if (code != 0)
        {
            throw new UsageException($"--against-git: {directory} is not inside a git repository ({FirstLine(error)})");
        }
        return new GitRepository(directory, Encoding.UTF8.GetString(output).Trim());
    }

    /// <summary>Checks that the revision names a commit; a usage error when it does not.</summary>
    public async Task VerifyCommitAsync(string revision, CancellationToken cancellationToken)
    {
        var (code, _, error) = await RunAsync(_directory, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], cancellationToken);
        if (code != 0)
        {
            var detail = FirstLine(error);
            throw new UsageException($"--against-git: '{revision}' is not a commit of the repository at {_directory}{(detail.Length > 0 ? $" ({detail})" : "")}");
        }
    }

    /// <summary>Files under the directory at a revision, as paths relative to the directory.</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(string revision, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync(_directory, ["ls-tree", "-r", "-z", "--full-name", "--name-only", revision, "--", "."], cancellationToken);
        if (code != 0)
        {
            throw new UsageException($"--against-git: git ls-tree {revision} failed: {FirstLine(error)}");
        }
        return Encoding.UTF8.GetString(output)
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(path => path[Prefix.Length..])
            .ToList();
    }

    /// <summary>A file's text at a revision; <paramref name="relativePath"/> is relative to the directory.</summary>
    public async Task<string> ReadFileAsync(string revision, string relativePath, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync(_directory, ["show", $"{revision}:{Prefix}{relativePath}"], cancellationToken);
        if (code != 0)
        {
            throw new UsageException($"--against-git: git show {revision}:{Prefix}{relativePath} failed: {FirstLine(error)}");
        }
        return Encoding.UTF8.GetString(output);
    }

    private static async Task<(int Code, byte[] Output, string Error)> RunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Plain output whatever the user's configuration says (no pager, no prompts, no locale-dependent quoting).
        startInfo.Environment["GIT_PAGER"] = "cat";
        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new UsageException("--against-git: git could not be started");
        }
        catch (Win32Exception e)
        {
            throw new UsageException($"--against-git needs the git command, which could not be run: {e.Message}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await Task.WhenAll(copy, error);
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return (process.ExitCode, output.ToArray(), await error);
        }
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? trimmed : trimmed[..end].TrimEnd('\r');
    }
}

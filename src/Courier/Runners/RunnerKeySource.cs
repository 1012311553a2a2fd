using System.Runtime.Versioning;
using Courier.Files;

namespace Courier;

/// <summary>
/// The one reader of runner signing keys, for dispatchers and runners alike: the environment variable
/// <see cref="RunnerKey.EnvironmentVariable"/> or a key file, both in <see cref="RunnerKey.ParseList"/>'s form
/// (<c>id=secret</c>, comma- or line-separated). Every failure is a <see cref="RunnerKeyException"/> naming where the
/// keys were to come from; secrets are never echoed.
/// </summary>
public static class RunnerKeySource
{
    /// <summary>The form keys are written in, as the error messages name it.</summary>
    public const string Form = "id=secret[,id2=secret2]";

    /// <summary>
    /// <paramref name="file"/>'s keys when a file is given, else <see cref="FromEnvironment"/>'s (null when the
    /// variable is unset or blank).
    /// </summary>
    public static RunnerKeySet? Read(string? file, Func<string, string?> environment) =>
        file is null ? FromEnvironment(environment) : FromFile(file);

    /// <summary>
    /// The keys of <see cref="RunnerKey.EnvironmentVariable"/> as <paramref name="environment"/> reads it (normally
    /// <see cref="Environment.GetEnvironmentVariable(string)"/>); null when it is unset or blank.
    /// </summary>
    public static RunnerKeySet? FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var text = environment(RunnerKey.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text, RunnerKey.EnvironmentVariable, fromEnvironment: true);
    }

    /// <summary>
    /// The keys of a key file. Refused when the file is missing, unreadable, empty or malformed, and on Unix when other
    /// users may read or write it or (on Linux) it belongs to another user.
    /// </summary>
    public static RunnerKeySet FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
            if (!OperatingSystem.IsWindows())
            {
                RefuseIfOthersCanReach(full);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerKeyException(full, $"cannot read runner keys: {e.Message}", innerException: e);
        }
        return Parse(text, full, fromEnvironment: false);
    }

    private static RunnerKeySet Parse(string text, string origin, bool fromEnvironment)
    {
        IReadOnlyList<RunnerKey> keys;
        try
        {
            keys = RunnerKey.ParseList(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // RunnerKey's messages never echo a secret.
            throw new RunnerKeyException(origin, $"not runner keys ({Form}): {e.Message}", fromEnvironment, e);
        }
        return keys.Count > 0
            ? new RunnerKeySet(keys, origin, fromEnvironment)
            : throw new RunnerKeyException(origin, $"holds no runner key ({Form})", fromEnvironment);
    }

    [UnsupportedOSPlatform("windows")]
    private static void RefuseIfOthersCanReach(string path)
    {
        if (UnixFileOwner.Of(path) is { } owner && owner != UnixFileOwner.CurrentUser)
        {
            throw new RunnerKeyException(path,
                $"the runner key file belongs to uid {owner}, not to this user (uid {UnixFileOwner.CurrentUser}), who "
                + $"would sign with keys someone else controls: `chown` it to this user and `chmod 600 {path}`, or use a key file of your own.");
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & PrivateFiles.OthersAccess) != 0)
        {
            throw new RunnerKeyException(path,
                $"the runner key file is open to other users (mode {UnixModes.Octal(mode)}), who could read or change the secrets: `chmod 600 {path}`.");
        }
    }
}

using Xunit;

namespace Courier.Testing;

/// <summary>
/// A small tmpfs in a temporary directory for tests of what a full disk gets. Mounting needs root: without it the test
/// is skipped on a developer's machine and fails in CI (CI=true), where the tests run as root.
/// </summary>
public sealed class FullDisk : IDisposable
{
    private readonly TempDirectory _directory = new("full-disk");
    private readonly TmpfsData _mount;

    public FullDisk(long megabytes = 2)
    {
        var (mount, error) = TmpfsData.TryMount(_directory.Path, megabytes);
        if (mount is null)
        {
            _directory.Dispose();
            var why = $"a tmpfs could not be mounted ({error})";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{why}, and CI runs as root and must run the full-disk tests.");
            }
            Assert.Skip($"{why}: the full-disk tests need root.");
        }
        _mount = mount!;
    }

    /// <summary>The mounted directory.</summary>
    public string Path => _directory.Path;

    /// <summary>Fills the file system, runs <paramref name="whileFull"/>, and frees it again.</summary>
    public Task WhileFullAsync(Func<Task> whileFull) =>
        _mount.FillUntilAsync(_ => whileFull(), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _mount.Dispose();
        _directory.Dispose();
    }
}

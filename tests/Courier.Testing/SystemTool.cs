using Xunit;

namespace Courier.Testing;

/// <summary>
/// A program of the system that tests drive (kcat, promtool), installed from Debian by scripts/test.sh. Missing, it
/// skips a test on a developer's machine and fails it in CI, where the script must have installed it.
/// </summary>
public static class SystemTool
{
    /// <summary>
    /// The first of <paramref name="names"/> found on the PATH; otherwise skips the test (or fails it when CI=true),
    /// naming the Debian <paramref name="package"/> and what <paramref name="neededBy"/> it.
    /// </summary>
    public static string Require(string package, string neededBy, params string[] names)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }
        var missing = $"{names[0]} is not installed (Debian package {package}; scripts/test.sh installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{missing}, and CI must run {neededBy}.");
        }
        Assert.Skip($"{missing}: {neededBy} need it.");
        return "";
    }
}

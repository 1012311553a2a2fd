using System.Text;
using Xunit;

namespace Courier.Server.Tests.Kafka;

/// <summary>
/// kcat (Debian package <c>kcat</c>, installed by scripts/test.sh): a Kafka client that is not Courier's, for interop
/// tests. Missing kcat skips a test on a developer's machine and fails it in CI, where the script must have installed it.
/// </summary>
internal static class Kcat
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The kcat executable; skips the test (or fails it when CI=true) when there is none.</summary>
    public static string Require() => SystemTool.Require("kcat", "the kcat interop tests", "kcat", "kafkacat");

    /// <summary>Runs kcat with <paramref name="input"/> on stdin; returns stdout as bytes, failing the test on a non-zero exit.</summary>
    public static async Task<byte[]> RunAsync(string kcat, IReadOnlyList<string> arguments, byte[]? input = null)
    {
        var run = await ChildProcess.RunBinaryAsync(kcat, arguments, input, Deadline);
        Assert.True(run.ExitCode == 0, $"kcat {string.Join(' ', arguments)} exited with {run.ExitCode}: {run.Stderr}");
        return run.Stdout;
    }

    /// <summary>Splits kcat's <c>-f '%k\t%s\n'</c> output into (key, value bytes), values exactly as read.</summary>
    public static List<(string Key, byte[] Value)> ParseKeyTabValueLines(byte[] output)
    {
        var records = new List<(string, byte[])>();
        var rest = output.AsSpan();
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)'\n');
            Assert.True(end >= 0, "kcat output does not end with a newline");
            var line = rest[..end];
            var tab = line.IndexOf((byte)'\t');
            Assert.True(tab >= 0, "a kcat line has no tab between key and value: " + Encoding.UTF8.GetString(line));
            records.Add((Encoding.UTF8.GetString(line[..tab]), line[(tab + 1)..].ToArray()));
            rest = rest[(end + 1)..];
        }
        return records;
    }
}

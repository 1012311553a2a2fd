using Courier.Cli;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Audit;

/// <summary><c>courier audit</c>'s options, refused before any log is opened.</summary>
public sealed class AuditCommandUsageTests
{
    [Theory]
    [InlineData(new[] { "audit", "--since", "yesterday" }, "--since: 'yesterday' is neither a window")]
    [InlineData(new[] { "audit", "--until", "soon" }, "--until: 'soon' is neither a window")]
    [InlineData(new[] { "audit", "--since", "2026-12-05T10:00:00Z", "--until", "2026-12-05T09:00:00Z" }, "--until must be after --since.")]
    public async Task BadRange_IsAUsageError(string[] args, string message)
    {
        using var dir = new TempDirectory();

        var result = await CliRun.RunAsync([.. args, "--data", dir.Path]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("log.db")), "a refused audit opens no log");
    }
}

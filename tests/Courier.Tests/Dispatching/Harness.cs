using Courier.Testing;

namespace Courier.Tests.Dispatching;

/// <summary>The shared dispatcher harness on a SQLite log in a temporary directory.</summary>
internal static class Harness
{
    public static DispatcherHarness Sqlite(DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null,
        IEnumerable<string>? patternTypes = null)
    {
        var directory = new TempDirectory("dispatcher");
        return new DispatcherHarness(SqliteJobLog.Open(directory.File("log.db")), new CourierOptions(), options, handle,
            patternTypes, directory.Dispose);
    }
}

using Courier.State;
using Courier.Testing;

namespace Courier.Tests.Dispatching;

/// <summary>The shared dispatcher harness on a SQLite log in a temporary directory, optionally wrapped (to observe what the dispatcher asks of it).</summary>
internal static class Harness
{
    public static DispatcherHarness Sqlite(DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null,
        IEnumerable<string>? patternTypes = null, Func<IJobLog, IJobLog>? wrap = null, int partitions = 4, TimeProvider? time = null,
        Func<IJobStateStore, IJobStateStore>? wrapStore = null)
    {
        var directory = new TempDirectory("dispatcher");
        IJobLog log = SqliteJobLog.Open(directory.File("log.db"));
        IJobStateStore store = Courier.Sqlite.State.SqliteJobStateStore.Open(directory.File("state.db"),
            new Courier.Sqlite.State.SqliteJobStateStoreOptions { TimeProvider = time ?? TimeProvider.System });
        return new DispatcherHarness(wrap is null ? log : wrap(log), new CourierOptions { DefaultPartitions = partitions }, options, handle,
            patternTypes, directory.Dispose, time: time, stateStore: wrapStore is null ? store : wrapStore(store));
    }
}

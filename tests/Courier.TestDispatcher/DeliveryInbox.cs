using Courier.TestPrograms;

namespace Courier.TestDispatcher;

/// <summary>
/// A SQLite file with one row per successful delivery, written by one dispatcher process and group-committed
/// (see <see cref="RowFile{T}"/>): a committed row survives the process being killed.
/// </summary>
public sealed class DeliveryInbox : IAsyncDisposable
{
    private static readonly RowTable<InboxDelivery> Table = new("inbox",
        ["job_id TEXT NOT NULL", "member TEXT NOT NULL", "topic TEXT NOT NULL", "partition INTEGER NOT NULL",
         "offset INTEGER NOT NULL", "attempt INTEGER NOT NULL", "at_ms INTEGER NOT NULL"],
        d => [d.JobId, d.Member, d.Topic, d.Partition, d.Offset, d.Attempt, d.AtUnixMs],
        r => new InboxDelivery(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetInt32(5), r.GetInt64(6)));

    private readonly RowFile<InboxDelivery> _file;
    private readonly string _member;
    private readonly TimeProvider _time;

    private DeliveryInbox(RowFile<InboxDelivery> file, string member, TimeProvider time)
    {
        _file = file;
        _member = member;
        _time = time;
    }

    /// <summary>Opens (creating if needed) the inbox at <paramref name="path"/> for the dispatcher named <paramref name="member"/>.</summary>
    public static DeliveryInbox Open(string path, string member, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        ArgumentNullException.ThrowIfNull(time);
        return new DeliveryInbox(Table.Open(path), member, time);
    }

    /// <summary>Records one delivery; completes when the row is committed.</summary>
    public async ValueTask DeliverAsync(string jobId, TopicPartitionOffset source, int attempt, CancellationToken cancellationToken)
    {
        var row = new InboxDelivery(jobId, _member, source.Topic, source.Partition, source.Offset, attempt, _time.GetUtcNow().ToUnixTimeMilliseconds());
        // A caller that gives up (shutdown) may still see its row written: that is a delivery, as in any inbox.
        await _file.AddAsync(row).WaitAsync(cancellationToken);
    }

    /// <summary>Every row of the inbox at <paramref name="path"/>; none while the file or its table does not exist yet.</summary>
    public static Task<IReadOnlyList<InboxDelivery>> ReadAllAsync(string path, CancellationToken cancellationToken) =>
        Table.ReadAllAsync(path, cancellationToken);

    /// <summary>Writes what is queued, then closes the file.</summary>
    public ValueTask DisposeAsync() => _file.DisposeAsync();
}

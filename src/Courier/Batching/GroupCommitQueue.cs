using System.Threading.Channels;

namespace Courier.Batching;

/// <summary>
/// Group commit for a single writer: items are queued from any thread, one loop drains whatever is waiting (up to a
/// batch) into one write, then completes every waiting item — or fails each with the write's error. The inboxes and
/// ledgers that record deliveries durably (the demo's, the test dispatcher's and test runner's) share it, and so does
/// the embedded state store (each item carrying its own result, set by the write).
/// </summary>
public sealed class GroupCommitQueue<T> : IAsyncDisposable
{
    private readonly Channel<(T Item, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(T, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxBatch;
    private readonly Action<IReadOnlyList<T>> _write;
    private readonly Func<Exception, Exception> _describeFailure;
    private readonly Task _loop;

    /// <param name="maxBatch">Most items in one write.</param>
    /// <param name="write">Writes a batch durably (one transaction); throws if it could not.</param>
    /// <param name="describeFailure">The exception the waiting items fail with, given the write's.</param>
    public GroupCommitQueue(int maxBatch, Action<IReadOnlyList<T>> write, Func<Exception, Exception>? describeFailure = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _maxBatch = maxBatch;
        _write = write;
        _describeFailure = describeFailure ?? (e => e);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues an item; <paramref name="written"/> completes once it is written. False after disposal.</summary>
    public bool TryAdd(T item, out Task written)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        written = done.Task;
        return _queue.Writer.TryWrite((item, done));
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        var batch = new List<(T Item, TaskCompletionSource Done)>(_maxBatch);
        var items = new List<T>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                items.Add(next.Item);
            }
            try
            {
                _write(items);
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
#pragma warning disable CA1031 // A failed write fails the waiting items (their callers decide), not the loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var failure = _describeFailure(e);
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(failure);
                }
            }
            batch.Clear();
            items.Clear();
        }
    }
}

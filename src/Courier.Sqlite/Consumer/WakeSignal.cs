namespace Courier.Sqlite.Consumer;

/// <summary>
/// Wakes a waiting consumer when something in the same process wrote to the log (records, topics, group changes). The
/// flag survives a reset of the event, so a write that lands between the consumer's last check and its wait is never
/// missed: the consumer resets the event, then takes the flag, then waits.
/// </summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly ManualResetEventSlim _event = new(false);
    private int _flag;
    private volatile bool _disposed;

    public void Set()
    {
        Volatile.Write(ref _flag, 1);
        if (!_disposed)
        {
            try
            {
                _event.Set();
            }
            catch (ObjectDisposedException)
            {
                // The consumer closed while a writer was signalling it; nobody is waiting any more.
            }
        }
    }

    public void Reset() => _event.Reset();

    /// <summary>True (once) if a write was signalled since the last call.</summary>
    public bool TakeFlag() => Interlocked.Exchange(ref _flag, 0) == 1;

    public void Wait(TimeSpan timeout, CancellationToken cancellationToken) => _event.Wait(timeout, cancellationToken);

    public void Dispose()
    {
        _disposed = true;
        _event.Dispose();
    }
}

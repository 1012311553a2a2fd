using System.Collections.Concurrent;

namespace Courier.TestRunner;

/// <summary>
/// Waits for block files (<see cref="RunnerJobParams.BlockFile"/>) to appear, told by the file system rather than by
/// looking again and again: one watcher per file, shared by every job blocked on it and dropped once the file is there.
/// </summary>
internal sealed class BlockFiles
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _waits = new(StringComparer.Ordinal);

    /// <summary>Completes when <paramref name="path"/> exists (at once if it already does).</summary>
    public Task WhenExistsAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return Task.CompletedTask;
        }
        var wait = _waits.GetOrAdd(full, p => new Lazy<Task>(() => Watch(p)));
        if (wait.Value.IsFaulted)
        {
            // The next attempt watches afresh.
            _waits.TryRemove(KeyValuePair.Create(full, wait));
        }
        return wait.Value.WaitAsync(cancellationToken);
    }

    private static Task Watch(string path)
    {
        var appeared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        void Check()
        {
            if (File.Exists(path) && appeared.TrySetResult())
            {
                watcher.Dispose();
            }
        }
        watcher.Created += (_, _) => Check();
        watcher.Renamed += (_, _) => Check();
        watcher.Changed += (_, _) => Check();
        // An overflowed or failed watcher may have missed the file: fail the wait (the job fails and is retried).
        watcher.Error += (_, e) =>
        {
            Check();
            if (appeared.TrySetException(e.GetException()))
            {
                watcher.Dispose();
            }
        };
        watcher.EnableRaisingEvents = true;
        // The file may have appeared before the watcher listened.
        Check();
        return appeared.Task;
    }
}

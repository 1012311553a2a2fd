namespace Courier.Sqlite.State;

/// <summary>What a queued <see cref="StateOperation"/> does (reads do not queue).</summary>
internal enum StateOperationKind
{
    /// <summary>Set if absent (or expired).</summary>
    Add,

    /// <summary>Set, replacing any value and expiry.</summary>
    Set,

    /// <summary>Delete a live key, optionally only while it holds a value.</summary>
    Delete,

    /// <summary>Keep the larger number, returning the previous one.</summary>
    Max,

    /// <summary>Add to a fixed-window counter.</summary>
    Increment,
}

/// <summary>
/// One call on the embedded store, queued for the writer: its arguments going in, its result (or its own error) coming
/// out once the batch it was applied in has committed.
/// </summary>
internal sealed class StateOperation(StateOperationKind kind, string key, string? value = null, long number = 0, long ttlMillis = 0)
{
    public StateOperationKind Kind { get; } = kind;

    public string Key { get; } = key;

    /// <summary>The value to write, or for <see cref="StateOperationKind.Delete"/> the value the key must hold.</summary>
    public string? Value { get; } = value;

    /// <summary>The number for <see cref="StateOperationKind.Max"/> and <see cref="StateOperationKind.Increment"/>.</summary>
    public long Number { get; } = number;

    public long TtlMillis { get; } = ttlMillis;

    /// <summary>Add: the key was added. Delete: a key was deleted.</summary>
    public bool Done { get; set; }

    /// <summary>Max: the previous number (null when absent). Increment: the sum.</summary>
    public long? Result { get; set; }

    /// <summary>An error of this operation alone (a stored value that is not a number); the rest of its batch stands.</summary>
    public Exception? Error { get; set; }

    /// <summary>The operation's name in errors.</summary>
    public string Name => Kind switch
    {
        StateOperationKind.Add => "add",
        StateOperationKind.Set => "set",
        StateOperationKind.Delete => "delete",
        StateOperationKind.Max => "max",
        _ => "increment",
    };
}

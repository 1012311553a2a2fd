namespace Courier.Log;

/// <summary>
/// The rules of <see cref="IJobLogConsumer"/> that do not depend on the engine, in one place for every engine's consumer:
/// argument checks (with the same messages), subscribe-or-assign, no re-entry from callbacks, the closed and disposed
/// states, and how rebalance callbacks are raised. An engine implements the <c>…Core</c> members, which run only after
/// these checks passed.
/// </summary>
/// <remarks>Like the consumer it is, owned by one thread: nothing here locks, and a call on the hot path allocates nothing.</remarks>
public abstract class JobLogConsumerBase : IJobLogConsumer
{
    private TopicPartition[]? _assignmentSnapshot;
    private bool _inCallback;
    private bool _closed;
    private bool _disposed;

    /// <summary>A consumer with the options the engine was asked to create it with (checked by <see cref="CheckOptions"/>).</summary>
    protected JobLogConsumerBase(JobLogConsumerOptions options)
    {
        Options = options;
    }

    /// <summary>The options the consumer was created with: group, client id, callbacks.</summary>
    protected JobLogConsumerOptions Options { get; }

    /// <summary>The consumer group, or null for a consumer that only reads partitions it is assigned.</summary>
    protected string? GroupId => Options.GroupId;

    /// <summary>Whether the consumer reads as a group member, from assigned partitions, or not yet.</summary>
    protected ConsumerMode Mode { get; private set; }

    /// <summary>True while <see cref="Dispose"/> leaves the group: callbacks belong to the consumer thread, and this may not be it.</summary>
    protected bool CallbacksSilenced { get; private set; }

    /// <summary>True when the consumer has a group (and so may subscribe and commit).</summary>
    protected virtual bool HasGroup => GroupId is not null;

    /// <inheritdoc/>
    public IReadOnlyCollection<TopicPartition> Assignment => _assignmentSnapshot ??= SnapshotAssignment();

    /// <summary>
    /// The checks of <see cref="IJobLog.CreateConsumer"/> every engine makes before it creates a consumer: a prefetch of at
    /// least one record, a client id, and a group that is either absent or named.
    /// </summary>
    public static void CheckOptions(JobLogConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPrefetch, 1, nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.ClientId, nameof(options));
        if (options.GroupId is { Length: 0 })
        {
            throw new ArgumentException("GroupId must be null (no group) or a non-empty name.", nameof(options));
        }
    }

    /// <inheritdoc/>
    public void Subscribe(IReadOnlyCollection<string> topics)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(topics);
        if (!HasGroup)
        {
            throw new InvalidOperationException("Subscribe needs a consumer group: set JobLogConsumerOptions.GroupId.");
        }
        if (Mode == ConsumerMode.Assigned)
        {
            throw new InvalidOperationException(
                "This consumer was given partitions with Assign; a consumer either subscribes or is assigned, not both.");
        }
        if (topics.Count == 0)
        {
            throw new ArgumentException("Subscribe needs at least one topic.", nameof(topics));
        }
        foreach (var topic in topics)
        {
            ArgumentNullException.ThrowIfNull(topic, nameof(topics));
            // As in every Kafka client, an entry starting with '^' is a regular expression that subscribes to every
            // matching topic, including topics created later; the engine checks its syntax.
            if (!topic.StartsWith('^'))
            {
                TopicNameRules.Validate(topic);
            }
        }
        SubscribeCore(topics);
        Mode = ConsumerMode.Subscribed;
        OnSubscribed();
    }

    /// <inheritdoc/>
    public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(partitions);
        if (Mode == ConsumerMode.Subscribed)
        {
            throw new InvalidOperationException(
                "This consumer subscribed to topics; a consumer either subscribes or is assigned, not both.");
        }
        ValidatePositions(partitions, nameof(partitions));
        AssignCore(partitions);
        Mode = ConsumerMode.Assigned;
        AssignmentChanged();
    }

    /// <inheritdoc/>
    public LogRecord? Consume(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        ThrowIfInCallback("Consume");
        return ConsumeCore(timeout, cancellationToken);
    }

    /// <inheritdoc/>
    public void Seek(TopicPartitionOffset position)
    {
        ThrowIfUnusable();
        ArgumentOutOfRangeException.ThrowIfNegative(position.Offset, nameof(position));
        if (!IsAssigned(position.TopicPartition))
        {
            throw new InvalidOperationException($"Cannot seek {position.TopicPartition}: it is not assigned to this consumer.");
        }
        SeekCore(position);
    }

    /// <remarks>Partitions not assigned (any more) are ignored, as a rebalance may race with the caller's decision.</remarks>
    public void Pause(IReadOnlyCollection<TopicPartition> partitions)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(partitions);
        PauseCore(partitions);
    }

    /// <remarks>Partitions not assigned (any more) are ignored, as for <see cref="Pause"/>.</remarks>
    public void Resume(IReadOnlyCollection<TopicPartition> partitions)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(partitions);
        ResumeCore(partitions);
    }

    /// <inheritdoc/>
    public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        if (CheckOffsets(offsets, "Commit"))
        {
            CommitCore(offsets);
        }
    }

    /// <inheritdoc/>
    public void StoreOffsets(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        if (!CheckOffsets(offsets, "StoreOffsets"))
        {
            return;
        }
        foreach (var offset in offsets)
        {
            if (!IsAssigned(offset.TopicPartition))
            {
                throw new InvalidOperationException(
                    $"Cannot store an offset for {offset.TopicPartition}: it is not assigned to this consumer.");
            }
        }
        StoreOffsetsCore(offsets);
    }

    /// <inheritdoc/>
    public void Close()
    {
        if (_closed || _disposed)
        {
            return;
        }
        ThrowIfInCallback("Close");
        try
        {
            CloseCore();
        }
        finally
        {
            _closed = true;
            Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (!_closed && Mode == ConsumerMode.Subscribed)
        {
            // Disposed without Close: leave the group now, so the partitions move at once instead of after the session
            // timeout, but without callbacks.
            CallbacksSilenced = true;
            LeaveWithoutCallbacks();
        }
        _closed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether the partition is assigned to this consumer now.</summary>
    protected abstract bool IsAssigned(TopicPartition partition);

    /// <summary>A copy of the assignment, taken again only after <see cref="AssignmentChanged"/>.</summary>
    protected abstract TopicPartition[] SnapshotAssignment();

    /// <summary>
    /// Subscribes to names and patterns (the checks passed, names are valid; the mode becomes
    /// <see cref="ConsumerMode.Subscribed"/> when it returns).
    /// </summary>
    protected abstract void SubscribeCore(IReadOnlyCollection<string> topics);

    /// <summary>Runs after the mode became <see cref="ConsumerMode.Subscribed"/>; a failure here leaves the consumer subscribed.</summary>
    protected virtual void OnSubscribed()
    {
    }

    /// <summary>Assigns validated positions (the mode becomes <see cref="ConsumerMode.Assigned"/> when it returns).</summary>
    protected abstract void AssignCore(IReadOnlyCollection<TopicPartitionOffset> partitions);

    /// <summary>Reads the next record within <paramref name="timeout"/>, or null; called on the consumer thread after the checks.</summary>
    protected abstract LogRecord? ConsumeCore(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Seeks an assigned partition to a non-negative offset.</summary>
    protected abstract void SeekCore(TopicPartitionOffset position);

    /// <summary>Pauses those of the partitions that are assigned.</summary>
    protected abstract void PauseCore(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>Resumes those of the partitions that are assigned and paused.</summary>
    protected abstract void ResumeCore(IReadOnlyCollection<TopicPartition> partitions);

    /// <summary>Commits validated offsets (at least one; the consumer has a group).</summary>
    protected abstract void CommitCore(IReadOnlyCollection<TopicPartitionOffset> offsets);

    /// <summary>Stores validated offsets of assigned partitions (at least one; the consumer has a group).</summary>
    protected abstract void StoreOffsetsCore(IReadOnlyCollection<TopicPartitionOffset> offsets);

    /// <summary>
    /// Leaves the group on <see cref="Close"/>, revoking the assignment through the callbacks; resources are released
    /// after it, also when it throws.
    /// </summary>
    protected abstract void CloseCore();

    /// <summary>
    /// Leaves the group of a subscribed consumer disposed without <see cref="Close"/>, raising no callback and throwing
    /// nothing.
    /// </summary>
    protected abstract void LeaveWithoutCallbacks();

    /// <summary>Releases the engine's resources; called once.</summary>
    protected abstract void ReleaseResources();

    /// <summary>Forgets the assignment snapshot: call it whenever the assignment changes.</summary>
    protected void AssignmentChanged() => _assignmentSnapshot = null;

    /// <summary>Raises <see cref="JobLogConsumerOptions.PartitionsAssigned"/>; the owner may not consume or close inside it.</summary>
    protected void RaisePartitionsAssigned(TopicPartition[] partitions) => Raise(Options.PartitionsAssigned, partitions);

    /// <summary>Raises <see cref="JobLogConsumerOptions.PartitionsRevoked"/>; the owner may not consume or close inside it.</summary>
    protected void RaisePartitionsRevoked(TopicPartition[] partitions) => Raise(Options.PartitionsRevoked, partitions);

    /// <summary>
    /// Whether a failed background commit goes to <see cref="JobLogConsumerOptions.BackgroundCommitFailed"/>: there is a
    /// handler and callbacks are not silenced. Otherwise the engine logs the failure itself.
    /// </summary>
    protected bool ReportsBackgroundCommitFailures => Options.BackgroundCommitFailed is not null && !CallbacksSilenced;

    /// <summary>Raises <see cref="JobLogConsumerOptions.BackgroundCommitFailed"/>, also from inside another callback.</summary>
    protected void RaiseBackgroundCommitFailed(JobLogException error) => Raise(Options.BackgroundCommitFailed, error);

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the consumer is closed or disposed.</summary>
    protected void ThrowIfUnusable() => ObjectDisposedException.ThrowIf(_closed || _disposed, this);

    /// <summary>Partitions as one line of text, for messages.</summary>
    protected static string Describe(IEnumerable<TopicPartition> partitions) => string.Join(", ", partitions);

    private void Raise<T>(Action<T>? callback, T argument)
    {
        if (callback is null)
        {
            return;
        }
        var wasInCallback = _inCallback;
        _inCallback = true;
        try
        {
            callback(argument);
        }
        finally
        {
            _inCallback = wasInCallback;
        }
    }

    private void ThrowIfInCallback(string operation)
    {
        if (_inCallback)
        {
            throw new InvalidOperationException($"{operation} cannot be called from a PartitionsAssigned or PartitionsRevoked callback.");
        }
    }

    /// <summary>The checks <see cref="Commit"/> and <see cref="StoreOffsets"/> share; false when there is nothing to do.</summary>
    private bool CheckOffsets(IReadOnlyCollection<TopicPartitionOffset> offsets, string operation)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(offsets);
        if (!HasGroup)
        {
            throw new InvalidOperationException($"{operation} needs a consumer group: set JobLogConsumerOptions.GroupId.");
        }
        if (offsets.Count == 0)
        {
            return false;
        }
        ValidatePositions(offsets, nameof(offsets));
        return true;
    }

    private static void ValidatePositions(IReadOnlyCollection<TopicPartitionOffset> positions, string parameterName)
    {
        foreach (var position in positions)
        {
            TopicNameRules.Validate(position.Topic);
            ArgumentOutOfRangeException.ThrowIfNegative(position.Partition, parameterName);
            ArgumentOutOfRangeException.ThrowIfNegative(position.Offset, parameterName);
        }
    }

    private void Release()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        ReleaseResources();
    }
}

namespace Courier;

/// <summary>One execution handed to an <see cref="IJobExecutor"/>.</summary>
public sealed class JobExecution
{
    /// <summary>The decoded event.</summary>
    public required JobEvent Event { get; init; }

    /// <summary>The event's bytes as they are in the log (what an HTTP executor posts).</summary>
    public required ReadOnlyMemory<byte> RawEvent { get; init; }

    /// <summary>Execution facts.</summary>
    public required JobContext Context { get; init; }
}

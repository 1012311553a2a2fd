namespace Courier;

/// <summary>A decoded job with its params bound.</summary>
public sealed class Job<TParams>
{
    /// <summary>Creates a job.</summary>
    public Job(JobEvent @event, TParams parameters)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Event = @event;
        Params = parameters;
    }

    /// <summary>The event as read from the log.</summary>
    public JobEvent Event { get; }

    /// <summary>The bound params.</summary>
    public TParams Params { get; }

    /// <summary>The job id (<c>meta.id</c>).</summary>
    public string Id => Event.Meta.Id;

    /// <summary>The job type.</summary>
    public string Type => Event.Type;

    /// <summary>The wiki.</summary>
    public string Database => Event.Database;
}

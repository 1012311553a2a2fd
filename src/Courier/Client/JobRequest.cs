namespace Courier;

/// <summary>What the caller says about a job to enqueue; the client fills in the rest of the event.</summary>
public sealed class JobRequest
{
    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>The wiki (tenant); also the partitioning key.</summary>
    public required string Database { get; init; }

    /// <summary>The params: any object that serializes to a JSON object, or a <see cref="System.Text.Json.JsonElement"/> object.</summary>
    public object? Params { get; init; }

    /// <summary>Do not run before this time.</summary>
    public DateTimeOffset? DelayUntil { get; init; }

    /// <summary>Set <c>sha1</c> so identical jobs can be deduplicated.</summary>
    public bool Deduplicate { get; init; }

    /// <summary>Id of the request that enqueues the job; a new one is made when null.</summary>
    public string? RequestId { get; init; }

    /// <summary>An explicit event id (UUID); a new one is made when null.</summary>
    public string? Id { get; init; }

    /// <summary>Root job of a recursive job tree.</summary>
    public RootEvent? RootEvent { get; init; }

    /// <summary>The params schema version the params follow.</summary>
    public string? ParamsVersion { get; init; }
}

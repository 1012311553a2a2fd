using System.Text.Json.Serialization;

namespace Courier.Server.Demo;

/// <summary>Params of an <c>htmlCacheUpdate</c> job: purge the rendered HTML of pages that use a changed page.</summary>
internal sealed class HtmlCacheUpdateParams
{
    /// <summary>The link table whose backlinks are purged (<c>templatelinks</c>, <c>imagelinks</c>, …).</summary>
    public required string Table { get; init; }

    /// <summary>The changed page.</summary>
    public required PageTitle Title { get; init; }

    /// <summary>Whether the job would fan out into child jobs (recorded, not simulated).</summary>
    public bool Recursive { get; init; }

    /// <summary>Failure injection and pacing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DemoSimulation? Simulate { get; init; }
}

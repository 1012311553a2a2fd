using System.Text.Json.Serialization;

namespace Courier.Server.Demo;

/// <summary>Params of a <c>refreshLinks</c> job: re-parse a page and update its link tables.</summary>
internal sealed class RefreshLinksParams
{
    /// <summary>The page to re-parse.</summary>
    public required PageTitle Title { get; init; }

    /// <summary>The revision that triggered the refresh.</summary>
    public long RevisionId { get; init; }

    /// <summary>Failure injection and pacing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DemoSimulation? Simulate { get; init; }
}

using System.Text.Json.Serialization;

namespace Courier.Server.Check;

/// <summary>What a check compares: the window <see cref="Since"/>..<see cref="Until"/> against the baseline before it.</summary>
internal sealed record CheckWindow
{
    /// <summary>Start of the window (and end of the baseline).</summary>
    [JsonPropertyName("since")]
    public required DateTimeOffset Since { get; init; }

    /// <summary>End of the window: when the check ran.</summary>
    [JsonPropertyName("until")]
    public required DateTimeOffset Until { get; init; }

    /// <summary>Start of the baseline.</summary>
    [JsonPropertyName("baseline_since")]
    public required DateTimeOffset BaselineSince { get; init; }

    /// <summary>The release whose first job started the window, when <c>since</c> named one.</summary>
    [JsonPropertyName("since_release")]
    public string? SinceRelease { get; init; }
}

using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>The 404 answer for a job type the dispatcher does not know: the error and the types it knows.</summary>
/// <param name="Error">What went wrong.</param>
/// <param name="Known">The types the dispatcher knows, by name.</param>
internal sealed record UnknownType(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("known")] IReadOnlyList<string> Known)
{
    /// <summary>The answer for <paramref name="type"/> given the dispatcher's <paramref name="stats"/>.</summary>
    public static UnknownType For(string type, IEnumerable<JobTypeStats> stats) =>
        new($"unknown job type '{type}'", [.. stats.Select(s => s.Type).Order(StringComparer.Ordinal)]);
}

using System.Text.Json;

namespace Courier.Contracts;

/// <summary>One registered params converter of a job type: the versions it reads and the version it writes.</summary>
internal sealed record ParamsConverterEntry(VersionPattern From, ParamsSchemaVersion To, string ToText, Func<JobEvent, JsonElement> Convert)
{
    public override string ToString() => $"{From}→{ToText}";
}

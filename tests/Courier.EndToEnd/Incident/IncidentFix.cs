using System.Text.Json;

namespace Courier.EndToEnd.Incident;

/// <summary>
/// The fix, as a dispatcher build: schemas 1.0.0 and 2.0.0, the handler of version 2's shape that recovers the
/// namespace from the prefixed title, and a converter that lifts version 1 jobs (title in the event's top-level
/// fields) into that shape.
/// </summary>
internal static class IncidentFix
{
    public static JobHandlerRegistry Handlers(CourierOptions options, MassMessageInbox inbox) =>
        new JobHandlerRegistry(options)
            .Add(IncidentSchemas.JobType, new MassMessageHandlerV2(inbox))
            .AddConverter(IncidentSchemas.JobType, "1.x", "2.0.0", ConvertV1);

    /// <summary>
    /// Version 1 → 2.0.0: <c>page_title</c> was already the prefixed dbkey (EventBus wrote
    /// <c>getPrefixedDBkey()</c>), so it becomes <c>params.title</c>; <c>page_namespace</c> must agree with its prefix.
    /// </summary>
    public static JsonElement ConvertV1(JobEvent e)
    {
        var ns = e.PageNamespace ?? throw new InvalidOperationException("a version 1 massMessage has page_namespace");
        var title = e.PageTitle is { Length: > 0 } t ? t : throw new InvalidOperationException("a version 1 massMessage has page_title");
        if (WikiTitles.Parse(title).Namespace != ns)
        {
            throw new InvalidOperationException($"page_title {title} is not in page_namespace {ns}");
        }
        return JsonSerializer.SerializeToElement(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["title"] = title,
            ["recipient"] = e.Params.GetProperty("recipient").GetString(),
            ["subject"] = e.Params.GetProperty("subject").GetString(),
            ["message"] = e.Params.GetProperty("message").GetString(),
            ["sender"] = e.Params.GetProperty("sender").GetString(),
        });
    }
}

using System.Text;
using System.Text.Json;
using Courier.Server.Demo;

namespace Courier.Server.Tests.Support;

/// <summary>Job events as a producer posts them to the intake: the codec's JSON text.</summary>
internal static class IntakeEvent
{
    public static string Json(string type, object parameters, string? version = "1.0.0", string? id = null) =>
        Encoding.UTF8.GetString(new JobEventCodec(new CourierOptions()).Encode(new JobEvent
        {
            Schema = JobEventCodec.SchemaUri,
            Meta = new JobMeta { Id = id ?? Guid.NewGuid().ToString(), Dt = DateTimeOffset.UtcNow, Stream = "mediawiki.job." + type, Domain = "en.wikipedia.org", ParamsVersion = version },
            Database = "enwiki",
            Type = type,
            Params = JsonSerializer.SerializeToElement(parameters, DemoJobs.ParamsOptions),
        }));

    /// <summary>A valid refreshLinks event (demo schema 1.0.0) for <paramref name="page"/>.</summary>
    public static string RefreshLinks(string page) => Json(DemoJobTypes.RefreshLinks, Refresh(page));

    public static RefreshLinksParams Refresh(string page) => new() { Title = new PageTitle(0, page), RevisionId = 42 };
}

using System.Globalization;
using System.Text.Json;

namespace Courier.Server.Demo;

/// <summary>
/// The demo's htmlCacheUpdate jobs that end without running when the dispatcher has a state store (docs/operations.md,
/// "Deduplication, supersession and claim TTLs"): pairs of the same job (same <c>sha1</c>) of a root job created an hour
/// before the run, of which one runs and the other is deduplicated; and root jobs re-queued with a newer root time,
/// whose older copy (placed at the end of the workload) is superseded.
/// </summary>
/// <remarks>
/// The older copy fails once before it would succeed: if it is checked before its newer sibling was seen, it runs,
/// fails and is checked again on its retry, by when the sibling (earlier in the same partition) has been seen; so it
/// ends superseded whatever order the dispatcher's workers take the two in.
/// </remarks>
internal static class DemoRepeats
{
    private static readonly string[] Wikis = ["enwiki", "dewiki", "frwiki", "jawiki"];

    /// <summary>One job of a hundred is part of a repeat (none in a workload of fewer than 100 jobs).</summary>
    public static int CountFor(int count) => count < 100 ? 0 : count / 100 / 4 * 4;

    /// <summary>
    /// Splices <paramref name="extra"/> jobs (<see cref="CountFor"/>) into <paramref name="requests"/>: half in duplicate pairs, half
    /// as root jobs and their older copies. Returns how many end deduplicated and superseded (and so how many succeed: as many).
    /// </summary>
    public static (int Deduplicated, int Superseded) SpliceInto(List<JobRequest> requests, int extra, DateTimeOffset now, JsonSerializerOptions options)
    {
        var groups = extra / 4;
        var olderCopies = new List<JobRequest>();
        for (var k = 0; k < groups; k++)
        {
            var database = Wikis[k % Wikis.Length];
            var hourAgo = new RootEvent(string.Create(CultureInfo.InvariantCulture, $"htmlCacheUpdate:templatelinks:Template:Shared_{k}"), now.AddHours(-1));
            var duplicate = Job($"Shared_{k}", database, hourAgo, options, dedupe: true);
            var signature = string.Create(CultureInfo.InvariantCulture, $"htmlCacheUpdate:templatelinks:Template:Edited_{k}");
            var newer = Job($"Edited_{k}_rev2", database, new RootEvent(signature, now.AddMinutes(-1)), options);
            olderCopies.Add(Job($"Edited_{k}_rev1", database, new RootEvent(signature, now.AddMinutes(-10)), options, failOnce: true));
            requests.Insert((k + 1) * requests.Count / (groups + 1), duplicate);
            requests.Insert((k + 1) * requests.Count / (groups + 1), duplicate);
            requests.Insert((k + 1) * requests.Count / (groups + 1), newer);
        }
        requests.AddRange(olderCopies);
        return (groups, groups);
    }

    private static JobRequest Job(string title, string database, RootEvent root, JsonSerializerOptions options, bool dedupe = false, bool failOnce = false) => new()
    {
        Type = DemoJobTypes.HtmlCacheUpdate,
        Database = database,
        Deduplicate = dedupe,
        RootEvent = root,
        Params = JsonSerializer.SerializeToElement(new HtmlCacheUpdateParams
        {
            Table = "templatelinks",
            Title = new PageTitle(10, title),
            Recursive = true,
            Simulate = failOnce ? new DemoSimulation { FailAttempts = 1 } : null,
        }, options),
    };
}

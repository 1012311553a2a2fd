using System.Globalization;
using System.Text.Json;

namespace Courier.Server.Demo;

/// <summary>
/// A reproducible demo workload across the three demo types: mostly jobs that succeed, about 8 % that fail
/// transiently and then succeed, about 2 % that fail permanently, about 0.5 % that keep failing until their
/// retries run out (dead-lettered as retryable), and a few MassMessage deliveries whose title degraded to
/// <c>Special:</c> (the 2019 incident; dead-lettered as decode failures), and about 1 % htmlCacheUpdate jobs that are
/// deduplicated or superseded (<see cref="DemoRepeats"/>). <see cref="Expected"/> says how each
/// type should end, so a run can be checked against it.
/// </summary>
internal sealed class DemoWorkload
{
    private static readonly string[] Wikis = ["enwiki", "dewiki", "frwiki", "commonswiki", "metawiki", "wikidatawiki", "jawiki", "eswiki"];
    private static readonly string[] Tables = ["templatelinks", "imagelinks", "pagelinks"];

    private DemoWorkload(IReadOnlyList<JobRequest> requests, IReadOnlyDictionary<string, DemoExpectation> expected)
    {
        Requests = requests;
        Expected = expected;
    }

    /// <summary>The jobs, in enqueue order.</summary>
    public IReadOnlyList<JobRequest> Requests { get; }

    /// <summary>How each type should end, by job type.</summary>
    public IReadOnlyDictionary<string, DemoExpectation> Expected { get; }

    /// <summary>Creates a workload of <paramref name="count"/> jobs.</summary>
    /// <param name="count">Number of jobs.</param>
    /// <param name="seed">Seed of the pseudo-random choices; the same seed gives the same workload.</param>
    /// <param name="maxWorkMilliseconds">Each job simulates 0..this many ms of work (0: the handlers' defaults).</param>
    /// <param name="retryLimit">The retry limit the expectations assume (the demo rules' limit by default).</param>
    /// <param name="paramsOptions">How params are serialized (Courier's params options by default).</param>
    /// <param name="time">The clock the repeated jobs' root times are taken from (the system's by default).</param>
    public static DemoWorkload Create(int count, int seed = 20190417, int maxWorkMilliseconds = 100, int? retryLimit = null,
        JsonSerializerOptions? paramsOptions = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWorkMilliseconds);
        var limit = retryLimit ?? DemoRules.Retry().Limit;
        var options = paramsOptions ?? new CourierOptions().ParamsSerializerOptions;
        // Not for security: a seeded generator makes the workload and its expected outcome reproducible.
#pragma warning disable CA5394
        var random = new Random(seed);
        var tallies = DemoJobTypes.All.ToDictionary(t => t, t => new Tally(), StringComparer.Ordinal);
        var requests = new List<JobRequest>(count);
        var repeats = DemoRepeats.CountFor(count);
        for (var i = 0; i < count - repeats; i++)
        {
            var pick = random.NextDouble();
            var type = pick < 0.4 ? DemoJobTypes.MassMessage : pick < 0.7 ? DemoJobTypes.HtmlCacheUpdate : DemoJobTypes.RefreshLinks;
            var tally = tallies[type];
            tally.Jobs++;
            var work = maxWorkMilliseconds > 0 ? random.Next(maxWorkMilliseconds + 1) : (int?)null;
            var roll = random.NextDouble();
            DemoSimulation? simulate;
            var user = string.Create(CultureInfo.InvariantCulture, $"Example user {random.Next(100_000)}");
            var title = new PageTitle(3, user.Replace(' ', '_'));
            if (roll < 0.08)
            {
                var fails = random.NextDouble() < 0.7 ? 1 : 2;
                simulate = new DemoSimulation { FailAttempts = fails, WorkMilliseconds = work };
                if (fails <= limit)
                {
                    tally.Succeeded++;
                    tally.RetriedThenSucceeded++;
                }
                else
                {
                    tally.Dead(FailureClass.Retryable);
                }
            }
            else if (roll < 0.10)
            {
                simulate = new DemoSimulation { Permanent = PermanentReason(type), WorkMilliseconds = work };
                tally.Dead(FailureClass.Permanent);
            }
            else if (roll < 0.105)
            {
                simulate = new DemoSimulation { FailAttempts = 1_000, WorkMilliseconds = work };
                tally.Dead(FailureClass.Retryable);
            }
            else if (roll < 0.107 && type == DemoJobTypes.MassMessage)
            {
                simulate = work is null ? null : new DemoSimulation { WorkMilliseconds = work };
                title = new PageTitle(-1, "");
                tally.Dead(FailureClass.Decode);
            }
            else
            {
                simulate = work is null ? null : new DemoSimulation { WorkMilliseconds = work };
                tally.Succeeded++;
            }
#pragma warning restore CA5394
            requests.Add(new JobRequest
            {
                Type = type,
                Database = Wikis[i % Wikis.Length],
                Params = Params(type, title, user, simulate, i, options),
            });
        }
        var (deduplicated, superseded) = DemoRepeats.SpliceInto(requests, repeats, (time ?? TimeProvider.System).GetUtcNow(), options);
        var expected = tallies.ToDictionary(kv => kv.Key, kv => kv.Value.ToExpectation(kv.Key), StringComparer.Ordinal);
        expected[DemoJobTypes.HtmlCacheUpdate] = expected[DemoJobTypes.HtmlCacheUpdate] with
        {
            Jobs = expected[DemoJobTypes.HtmlCacheUpdate].Jobs + repeats,
            Succeeded = expected[DemoJobTypes.HtmlCacheUpdate].Succeeded + repeats - deduplicated - superseded,
            Deduplicated = deduplicated,
            Superseded = superseded,
        };
        return new DemoWorkload(requests, expected);
    }

    /// <summary>Enqueues the workload in batches; reports the running total after each batch.</summary>
    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(CourierClient client, int batchSize = 500,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var enqueued = new List<EnqueuedJob>(Requests.Count);
        for (var start = 0; start < Requests.Count; start += batchSize)
        {
            var batch = Requests.Skip(start).Take(batchSize).ToList();
            enqueued.AddRange(await client.EnqueueBatchAsync(batch, cancellationToken));
            progress?.Report(enqueued.Count);
        }
        return enqueued;
    }

    private static JsonElement Params(string type, PageTitle title, string user, DemoSimulation? simulate, int i, JsonSerializerOptions options) => type switch
    {
        DemoJobTypes.MassMessage => JsonSerializer.SerializeToElement(new MassMessageParams
        {
            Title = title,
            Recipient = user,
            Subject = "Tech News: 2019-16",
            Message = string.Create(CultureInfo.InvariantCulture, $"Latest technical news from the Wikimedia community (issue {i})."),
            Sender = "MediaWiki message delivery",
            Simulate = simulate,
        }, options),
        DemoJobTypes.HtmlCacheUpdate => JsonSerializer.SerializeToElement(new HtmlCacheUpdateParams
        {
            Table = Tables[i % Tables.Length],
            Title = new PageTitle(10, string.Create(CultureInfo.InvariantCulture, $"Infobox_{i % 97}")),
            Recursive = i % 5 == 0,
            Simulate = simulate,
        }, options),
        _ => JsonSerializer.SerializeToElement(new RefreshLinksParams
        {
            Title = new PageTitle(0, string.Create(CultureInfo.InvariantCulture, $"Article_{i}")),
            RevisionId = 880_000_000L + i,
            Simulate = simulate,
        }, options),
    };

    private static string PermanentReason(string type) => type switch
    {
        DemoJobTypes.MassMessage => "recipient has opted out of mass messages",
        DemoJobTypes.HtmlCacheUpdate => "page was deleted",
        _ => "revision was suppressed",
    };

    private sealed class Tally
    {
        private readonly Dictionary<FailureClass, int> _dead = [];

        public int Jobs { get; set; }

        public int Succeeded { get; set; }

        public int RetriedThenSucceeded { get; set; }

        public void Dead(FailureClass failureClass) => _dead[failureClass] = _dead.GetValueOrDefault(failureClass) + 1;

        public DemoExpectation ToExpectation(string type) => new()
        {
            Type = type,
            Jobs = Jobs,
            Succeeded = Succeeded,
            RetriedThenSucceeded = RetriedThenSucceeded,
            DeadLetteredByClass = new Dictionary<FailureClass, int>(_dead),
        };
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Courier.Server.Demo;

namespace Courier.Chaos.Workload;

/// <summary>
/// The soak's jobs, drawn from <c>new Random(seed)</c> across the three demo types (two run in the dispatchers, one on
/// the runner pool): about 90 % succeed, 5 % fail transiently then succeed, 3 % fail permanently, 1 % exhaust their
/// retries and 0.5 % time out on every attempt. Enqueued in-process at a steady rate, in one batch a second, across
/// <see cref="Databases"/> databases (the records' partitioning key).
/// </summary>
/// <remarks>
/// One batch a second, over many keys, is for the Kafka mock cluster: it stores each produced batch as one message
/// set, keeps about 5 MiB of them per partition (dropping the oldest beyond that) and finds a fetch's offset by walking
/// a partition's message sets from the first. Fewer, larger batches compress better and keep those walks short; many
/// keys spread the records evenly over the partitions, so none passes its cap before the others.
/// </remarks>
internal sealed class ChaosWorkload
{
    private static readonly string[] Types = [DemoJobTypes.MassMessage, DemoJobTypes.HtmlCacheUpdate, DemoJobTypes.RefreshLinks];
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>Databases the jobs are spread over (<c>chaoswiki0</c> …).</summary>
    public const int Databases = 1024;

    private readonly ChaosOptions _options;
    private readonly JsonSerializerOptions _params = new CourierOptions().ParamsSerializerOptions;
    private readonly Dictionary<JobBehaviour, int> _counts = Enum.GetValues<JobBehaviour>().ToDictionary(b => b, _ => 0);
    private readonly Dictionary<string, long> _byType = Types.ToDictionary(t => t, _ => 0L, StringComparer.Ordinal);
    private readonly Random _random;
    private int _enqueued;
    private int _refusals;

    public ChaosWorkload(ChaosOptions options)
    {
        _options = options;
        // Not for security: the workload must be replayable from its seed (apart from the schedule's generator).
#pragma warning disable CA5394, CA2000
        _random = new Random(unchecked((options.Seed * 7919) + 17));
#pragma warning restore CA5394, CA2000
    }

    /// <summary>Jobs enqueued so far.</summary>
    public int Enqueued => Volatile.Read(ref _enqueued);

    /// <summary>Jobs enqueued, by how they were made to end.</summary>
    public IReadOnlyDictionary<JobBehaviour, int> Counts => _counts;

    /// <summary>Jobs the log accepted, by type (read once the workload is over).</summary>
    public IReadOnlyDictionary<string, long> EnqueuedByType => _byType;

    /// <summary>The job types the workload uses.</summary>
    public static IReadOnlyList<string> JobTypes => Types;

    /// <summary>Enqueues <see cref="ChaosOptions.Jobs"/> jobs at <see cref="ChaosOptions.Rate"/> per second.</summary>
    public async Task RunAsync(CourierClient client, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (_enqueued < _options.Jobs)
        {
            var due = (int)Math.Min(_options.Jobs, Math.Ceiling(clock.Elapsed.TotalSeconds * _options.Rate) + 1);
            if (due > _enqueued)
            {
                var batch = new List<JobRequest>(due - _enqueued);
                for (var i = _enqueued; i < due; i++)
                {
                    batch.Add(Next(i));
                }
                await EnqueueAsync(client, batch, cancellationToken);
                Volatile.Write(ref _enqueued, due);
            }
            await Task.Delay(Tick, cancellationToken);
        }
    }

    /// <summary>Enqueues a batch, again after a pause while the log refuses it (a full disk, a locked file, a broker down).</summary>
    private async Task EnqueueAsync(CourierClient client, List<JobRequest> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await client.EnqueueBatchAsync(batch, cancellationToken);
                foreach (var job in batch)
                {
                    _byType[job.Type]++;
                }
                return;
            }
            catch (JobLogException)
            {
                // Refused, so not accepted: what an application does is try again. A batch is one transaction on
                // SQLite; on Kafka part of it may have gone through, and its second copy is a job of its own.
                Interlocked.Increment(ref _refusals);
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    /// <summary>Batches the log refused and the workload enqueued again.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

#pragma warning disable CA5394
    private JobRequest Next(int index)
    {
        var type = Types[_random.Next(Types.Length)];
        var roll = _random.NextDouble();
        var behaviour = roll switch
        {
            < 0.05 => JobBehaviour.FailsThenSucceeds,
            < 0.08 => JobBehaviour.FailsPermanently,
            < 0.09 => JobBehaviour.ExhaustsRetries,
            < 0.095 => JobBehaviour.TimesOut,
            _ => JobBehaviour.Succeeds,
        };
        _counts[behaviour]++;
        var simulate = behaviour switch
        {
            JobBehaviour.FailsThenSucceeds => new DemoSimulation { FailAttempts = 1 + _random.Next(2), WorkMilliseconds = _random.Next(10) },
            JobBehaviour.FailsPermanently => new DemoSimulation { Permanent = "chaos: fails permanently" },
            JobBehaviour.ExhaustsRetries => new DemoSimulation { FailAttempts = 1_000 },
            JobBehaviour.TimesOut => new DemoSimulation { WorkMilliseconds = ChaosRules.TimeOutWorkMilliseconds },
            _ => new DemoSimulation { WorkMilliseconds = _random.Next(10) },
        };
        return new JobRequest
        {
            Type = type,
            Database = string.Create(CultureInfo.InvariantCulture, $"chaoswiki{index % Databases}"),
            Params = Params(type, index, simulate),
        };
    }
#pragma warning restore CA5394

    private JsonElement Params(string type, int index, DemoSimulation simulate)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"Chaos_{_options.Seed}_{index}");
        return type switch
        {
            DemoJobTypes.MassMessage => JsonSerializer.SerializeToElement(new MassMessageParams
            {
                Title = new PageTitle(3, name),
                Recipient = name,
                Subject = "chaos soak",
                Message = "A chaos soak delivery.",
                Sender = "Courier.Chaos",
                Simulate = simulate,
            }, _params),
            DemoJobTypes.HtmlCacheUpdate => JsonSerializer.SerializeToElement(new HtmlCacheUpdateParams
            {
                Table = "templatelinks",
                Title = new PageTitle(10, name),
                Simulate = simulate,
            }, _params),
            _ => JsonSerializer.SerializeToElement(new RefreshLinksParams
            {
                Title = new PageTitle(0, name),
                RevisionId = index,
                Simulate = simulate,
            }, _params),
        };
    }
}

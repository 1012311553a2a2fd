using System.Text;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Routing;
using Courier.Jobs;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Probing;

/// <summary>
/// Writes a synthetic probe job of every probed type (a rule with a <see cref="ProbeSpec"/>) to its job topic, at the
/// start and then every interval, through the dispatcher's producer: a real event (<c>meta.id</c> <c>probe-&lt;uuid&gt;</c>,
/// the configured params and database, the type's newest params version) with the <c>courier.probe: 1</c> header. It
/// then goes the real path — consumer, budget, executor, outcome — like any job of the type. None is written while the
/// type is paused.
/// </summary>
internal sealed class Prober(IReadOnlyList<(TypeState Type, ProbeSpec Spec)> probes, JobEventCodec codec, CourierOptions options,
    ProbeBook book, TimeProvider time, ILogger logger) : IDisposable
{
    private static readonly LogHeader[] Headers = [new(CourierHeaders.Probe, "1"u8.ToArray())];

    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    /// <summary>The probe event of a rule, as it will be written (a new id and time at each call).</summary>
    public static JobEvent EventOf(string jobType, ProbeSpec spec, CourierOptions options, DateTimeOffset now) => new()
    {
        Schema = JobEventCodec.SchemaUri,
        Meta = new JobMeta
        {
            Id = "probe-" + Guid.NewGuid().ToString("N"),
            Dt = now,
            Domain = spec.Database,
            Producer = new ProducerInfo(options.ProducerName, options.ProducerVersion),
            ParamsVersion = options.ParamsSchemas?.GetLatest(jobType)?.VersionText,
        },
        Database = spec.Database,
        Type = jobType,
        Params = spec.Params,
    };

    /// <summary>
    /// Refuses a probe that could never pass the gate: its params checked against the type's params schema (when it
    /// has one) the way the dispatcher checks every job. Throws <see cref="ArgumentException"/> naming the rule.
    /// </summary>
    public static void Check(JobGate gate, CourierOptions options, IEnumerable<JobRule> rules, DateTimeOffset now)
    {
        foreach (var rule in rules)
        {
            if (rule.Probe is { } spec && gate.Check(EventOf(rule.Type, spec, options, now)) is { Passed: false } refused)
            {
                throw new ArgumentException(
                    $"rule '{rule.Type}': probe.params would never pass the gate ({refused.Reason}): {refused.Error}", nameof(rules));
            }
        }
    }

    /// <summary>Starts one loop per probed type on <paramref name="producer"/>.</summary>
    public void Start(IJobLogProducer producer)
    {
        _running = probes.Count == 0
            ? Task.CompletedTask
            : Task.WhenAll(probes.Select(p => Task.Run(() => RunAsync(producer, p.Type, p.Spec, _stop.Token), CancellationToken.None)));
    }

    /// <summary>Stops writing probes; completes when no write is under way. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }
        await _running.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(IJobLogProducer producer, TypeState type, ProbeSpec spec, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(spec.Every, time);
        try
        {
            do
            {
                // A paused type's jobs wait in the log; its probes would only pile up behind them and run in a burst.
                if (!type.IsPaused)
                {
                    await SendAsync(producer, type, spec, stop);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped with the dispatcher.
        }
    }

    private async Task SendAsync(IJobLogProducer producer, TypeState type, ProbeSpec spec, CancellationToken stop)
    {
        try
        {
            var value = codec.Encode(EventOf(type.Name, spec, options, time.GetUtcNow()));
            await producer.ProduceAsync([new OutgoingRecord(type.JobTopic, spec.Database, value, Headers)], stop);
            book.Sent(type.Name);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A probe that cannot be written is logged; a missing result raises CourierProbeMissing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatcherLog.ProbeNotWritten(logger, e, type.Name, type.JobTopic);
        }
    }
}

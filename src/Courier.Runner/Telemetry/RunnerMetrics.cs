using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Courier.Runner.Telemetry;

/// <summary>The instruments of <see cref="CourierRunnerTelemetry"/>, created from the host's meter factory.</summary>
/// <remarks>
/// A <c>job.type</c> value is one of the types this runner has a handler for, or <see cref="UnknownJobType"/>: the type
/// comes from the request, and a caller must not be able to add label values (series) at will.
/// </remarks>
internal sealed class RunnerMetrics : IDisposable
{
    /// <summary>The <c>job.type</c> of every job whose type has no handler on this runner.</summary>
    public const string UnknownJobType = "unknown";

    private readonly Meter _meter;
    private readonly JobHandlerRegistry _registry;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _signatureRejections;
    private readonly string _release;

    /// <summary>The instruments; every request count carries <paramref name="release"/> (<see cref="CourierOptions.Release"/>).</summary>
    public RunnerMetrics(IMeterFactory? meterFactory, JobHandlerRegistry registry, string release)
    {
        _registry = registry;
        _release = release;
        _meter = meterFactory?.Create(CourierRunnerTelemetry.Name) ?? new Meter(CourierRunnerTelemetry.Name);
        _requests = _meter.CreateCounter<long>(CourierRunnerTelemetry.Requests, "{request}",
            "Job requests answered, by job type, outcome (succeeded, failed, rejected), failure class, HTTP status and release.");
        _duration = _meter.CreateHistogram<double>(CourierRunnerTelemetry.JobDuration, "s", "Handler execution time of one request.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300] });
        _inFlight = _meter.CreateUpDownCounter<long>(CourierRunnerTelemetry.InFlight, "{job}", "Executions running now.");
        _signatureRejections = _meter.CreateCounter<long>(CourierRunnerTelemetry.SignatureRejections, "{request}",
            "Requests refused with 403, by reason (missing, invalid, stale, unknown_key, replayed).");
    }

    public void Answered(string? jobType, string outcome, FailureClass? failure, int status)
    {
        var tags = new TagList
        {
            { "outcome", outcome },
            { "http.response.status_code", status },
            { "release", _release },
        };
        if (jobType is not null)
        {
            tags.Add("job.type", Label(jobType));
        }
        if (failure is { } f)
        {
            tags.Add("failure.class", f.ToWireName());
        }
        _requests.Add(1, tags);
    }

    public void Executed(string jobType, string outcome, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("job.type", Label(jobType)), new KeyValuePair<string, object?>("outcome", outcome));

    public void Started(string jobType) => _inFlight.Add(1, new KeyValuePair<string, object?>("job.type", Label(jobType)));

    public void Finished(string jobType) => _inFlight.Add(-1, new KeyValuePair<string, object?>("job.type", Label(jobType)));

    public void SignatureRejected(string reason) => _signatureRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();

    private string Label(string jobType) => _registry.Contains(jobType) ? jobType : UnknownJobType;
}

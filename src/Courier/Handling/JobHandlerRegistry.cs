using System.Text.Json;
using Courier.Contracts;
using Courier.Jobs;
using Courier.Jobs.Codec;

namespace Courier;

/// <summary>
/// Maps job types to in-process handlers and binds params for them. Before binding, params of an older version go
/// through the type's params converters (<see cref="AddConverter"/>), so a handler written for the new shape also
/// runs jobs written in the old one.
/// </summary>
public sealed class JobHandlerRegistry
{
    /// <summary>Most converter hops one job may take (1.x → 2.0.0 → 3.0.0 …); more means converters that loop.</summary>
    private const int MaxConverterHops = 16;

    private readonly Dictionary<string, Func<JobExecution, CancellationToken, ValueTask<JobResult>>> _handlers =
        new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<JobEvent, (string Reason, string Error)?>> _binders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ParamsConverterEntry>> _converters = new(StringComparer.Ordinal);
    private readonly CourierOptions _options;
    private readonly JsonSerializerOptions _paramsOptions;

    /// <summary>Creates an empty registry binding params with <paramref name="options"/>' serializer options.</summary>
    public JobHandlerRegistry(CourierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _paramsOptions = options.ParamsSerializerOptions;
    }

    /// <summary>Job types with a handler.</summary>
    public IReadOnlyCollection<string> JobTypes => _handlers.Keys;

    /// <summary>True when <paramref name="jobType"/> has a handler.</summary>
    public bool Contains(string jobType) => _handlers.ContainsKey(jobType);

    /// <summary>
    /// Registers the handler of a job type. A type has at most one handler. <paramref name="probes"/> says how it
    /// treats synthetic probe jobs: by default they are answered as successes once their params bind, without it.
    /// </summary>
    public JobHandlerRegistry Add<TParams>(string jobType, IJobHandler<TParams> handler, ProbeHandling probes = ProbeHandling.Skip)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(handler);
        if (_handlers.ContainsKey(jobType))
        {
            throw new ArgumentException($"job type '{jobType}' already has a handler", nameof(jobType));
        }
        _handlers[jobType] = (execution, ct) => Invoke(handler, probes, execution, ct);
        _binders[jobType] = jobEvent => Bind<TParams>(jobEvent, out _);
        return this;
    }

    /// <summary>
    /// Registers a params converter: jobs of <paramref name="jobType"/> whose <c>meta.params_version</c> matches
    /// <paramref name="fromVersions"/> get the params <paramref name="convert"/> makes, in the shape of
    /// <paramref name="toVersion"/>, before they are bound. Converters chain (1.x → 2.0.0, then 2.x → 3.0.0); where
    /// several match, the most specific pattern wins. The converter reads the whole event — params and the legacy
    /// top-level fields such as <see cref="JobEvent.PageTitle"/> — and must return a JSON object (clone it if it
    /// comes from a document the converter disposes). When the registry has a schema for <paramref name="toVersion"/>,
    /// the result is validated against it. A converter that throws, returns something else than an object or breaks
    /// the target schema fails the job with class <c>decode</c>, naming the converter.
    /// </summary>
    /// <param name="jobType">The job type.</param>
    /// <param name="fromVersions">An exact version (<c>1.2.0</c>), a line (<c>1.x</c>, <c>1.2.x</c>), or <c>unversioned</c> for events that name none.</param>
    /// <param name="toVersion">The exact version of the params it returns.</param>
    /// <param name="convert">Makes the new params from the event as written.</param>
    public JobHandlerRegistry AddConverter(string jobType, string fromVersions, string toVersion, Func<JobEvent, JsonElement> convert)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(convert);
        var (from, to) = ParseConverterVersions(fromVersions, toVersion);
        if (!_converters.TryGetValue(jobType, out var list))
        {
            _converters[jobType] = list = [];
        }
        if (list.Any(c => c.From == from))
        {
            throw new ArgumentException($"job type '{jobType}' already has a params converter from {from}", nameof(fromVersions));
        }
        list.Add(new ParamsConverterEntry(from, to, to.ToString(), convert));
        // Most specific first, so a lookup takes the first match.
        list.Sort((a, b) => b.From.Specificity.CompareTo(a.From.Specificity));
        return this;
    }

    /// <summary>Parses a converter's versions, throwing <see cref="ArgumentException"/> for a bad pattern or a target it would read itself.</summary>
    internal static (VersionPattern From, ParamsSchemaVersion To) ParseConverterVersions(string fromVersions, string toVersion)
    {
        var from = VersionPattern.Parse(fromVersions, nameof(fromVersions));
        if (!ParamsSchemaVersion.TryParse(toVersion, out var to, out var toError))
        {
            throw new ArgumentException(toError, nameof(toVersion));
        }
        if (from.Matches(to.ToString()))
        {
            throw new ArgumentException($"a converter from {from} to {to} would convert its own output again: the target must lie outside the versions it reads", nameof(toVersion));
        }
        return (from, to);
    }

    /// <summary>Runs the handler of the execution's type; an unknown type or unbindable params is a decode failure.</summary>
    public ValueTask<JobResult> InvokeAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(execution.Event.Type, out var invoke))
        {
            return ValueTask.FromResult(JobResult.Undecodable($"unknown job type '{execution.Event.Type}': no handler is registered", DecodeReasons.UnknownType));
        }
        return invoke(execution, cancellationToken);
    }

    /// <summary>
    /// Binds the event's params the way its handler would — the converter chain, then deserialization to the
    /// handler's params type — without running the handler. False, with <paramref name="error"/> saying why, when the
    /// job would be a decode failure at binding: no handler for its type, a converter that fails, or params that do
    /// not bind. Used by <c>courier contract verify</c> to check stored and recent events against the current build.
    /// </summary>
    public bool TryBind(JobEvent jobEvent, out string? error) => TryBind(jobEvent, out _, out error);

    /// <summary>
    /// As <see cref="TryBind(JobEvent, out string?)"/>, also giving the decode reason of a failure (<c>unknown_type</c>,
    /// <c>converter</c> or <c>binding</c>: the <c>reason</c> tag the dispatcher would count it under).
    /// </summary>
    public bool TryBind(JobEvent jobEvent, out string? reason, out string? error)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        if (!_binders.TryGetValue(jobEvent.Type, out var bind))
        {
            (reason, error) = (DecodeReasons.UnknownType, $"unknown job type '{jobEvent.Type}': no handler is registered");
            return false;
        }
        if (bind(jobEvent) is { } failure)
        {
            (reason, error) = failure;
            return false;
        }
        (reason, error) = (null, null);
        return true;
    }

    /// <summary>
    /// The params a handler of the event's type binds: the event's own, or what its converters make of them. Null
    /// with <paramref name="error"/> set when a converter fails.
    /// </summary>
    internal JsonElement? ConvertParams(JobEvent jobEvent, out string? error) => Convert(jobEvent, out error)?.Params;

    /// <summary>
    /// The event whose params a handler of its type binds: <paramref name="jobEvent"/> itself, or a copy with what its
    /// converters make of its params. Null with <paramref name="error"/> set when a converter fails.
    /// </summary>
    private JobEvent? Convert(JobEvent jobEvent, out string? error)
    {
        error = null;
        if (_converters.Count == 0 || !_converters.TryGetValue(jobEvent.Type, out var converters))
        {
            return jobEvent;
        }
        var current = jobEvent;
        for (var hops = 0; Find(converters, current.Meta.ParamsVersion) is { } converter; hops++)
        {
            var fromVersion = current.Meta.ParamsVersion ?? VersionPattern.UnversionedText;
            if (hops == MaxConverterHops)
            {
                error = $"params converters of {jobEvent.Type} did not reach a final version after {MaxConverterHops} steps (at {fromVersion})";
                return null;
            }
            JsonElement output;
            try
            {
                output = converter.Convert(current);
            }
#pragma warning disable CA1031 // A converter's exception is the job's decode failure, reported with the converter named.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = $"params converter {jobEvent.Type} {converter} failed on version {fromVersion}: {e.GetType().Name}: {e.Message}";
                return null;
            }
            if (output.ValueKind != JsonValueKind.Object)
            {
                error = $"params converter {jobEvent.Type} {converter} returned {JsonPaths.Kind(output.ValueKind)}, not a JSON object";
                return null;
            }
            if (_options.ParamsSchemas?.Find(jobEvent.Type, converter.To) is { } target && target.Validate(output) is { Count: > 0 } violations)
            {
                error = $"params converter {jobEvent.Type} {converter} made params that do not match params schema {converter.ToText}: "
                    + SchemaViolations.Describe(violations);
                return null;
            }
            current = current.WithParams(output, converter.ToText);
        }
        return current;
    }

    private static ParamsConverterEntry? Find(List<ParamsConverterEntry> converters, string? version)
    {
        foreach (var converter in converters)
        {
            if (converter.From.Matches(version))
            {
                return converter;
            }
        }
        return null;
    }

    private ValueTask<JobResult> Invoke<TParams>(IJobHandler<TParams> handler, ProbeHandling probes, JobExecution execution,
        CancellationToken cancellationToken)
    {
        if (Bind(execution.Event, out TParams? parameters) is { } failure)
        {
            return ValueTask.FromResult(JobResult.Undecodable(failure.Error, failure.Reason));
        }
        if (execution.Context.IsProbe && probes == ProbeHandling.Skip)
        {
            // Decoded and bound like any job, so the release's decoding is judged; the work itself is not done.
            return ValueTask.FromResult(JobResult.Success);
        }
        return handler.HandleAsync(new Job<TParams>(execution.Event, parameters!), execution.Context, cancellationToken);
    }

    /// <summary>Converts and deserializes the event's params; null on success, else the decode reason and message.</summary>
    private (string Reason, string Error)? Bind<TParams>(JobEvent jobEvent, out TParams? parameters)
    {
        parameters = default;
        if (Convert(jobEvent, out var conversionError) is not { } source)
        {
            return (DecodeReasons.Converter, conversionError!);
        }
        try
        {
            // Params the dispatcher left as the record's bytes bind from them: the same bytes an element would give
            // the serializer, without parsing them into a document first.
            var utf8 = source.ParamsUtf8;
            parameters = utf8.IsEmpty
                ? source.Params.Deserialize<TParams>(_paramsOptions)
                : JsonSerializer.Deserialize<TParams>(utf8.Span, _paramsOptions);
        }
        catch (JsonException e)
        {
            // Params that do not bind can never succeed on retry: a decode failure, with the path that failed.
            return (DecodeReasons.Binding, $"params do not bind to {typeof(TParams).Name}: {e.Message}");
        }
        if (parameters is null)
        {
            return (DecodeReasons.Binding, $"params do not bind to {typeof(TParams).Name}: null");
        }
        return null;
    }
}

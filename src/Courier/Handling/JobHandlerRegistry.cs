using System.Text.Json;

namespace Courier;

/// <summary>Maps job types to in-process handlers and binds params for them.</summary>
public sealed class JobHandlerRegistry
{
    private readonly Dictionary<string, Func<JobExecution, CancellationToken, ValueTask<JobResult>>> _handlers =
        new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _paramsOptions;

    /// <summary>Creates an empty registry binding params with <paramref name="options"/>' serializer options.</summary>
    public JobHandlerRegistry(CourierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _paramsOptions = options.ParamsSerializerOptions;
    }

    /// <summary>Job types with a handler.</summary>
    public IReadOnlyCollection<string> JobTypes => _handlers.Keys;

    /// <summary>True when <paramref name="jobType"/> has a handler.</summary>
    public bool Contains(string jobType) => _handlers.ContainsKey(jobType);

    /// <summary>Registers the handler of a job type. A type has at most one handler.</summary>
    public JobHandlerRegistry Add<TParams>(string jobType, IJobHandler<TParams> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(handler);
        if (_handlers.ContainsKey(jobType))
        {
            throw new ArgumentException($"job type '{jobType}' already has a handler", nameof(jobType));
        }
        _handlers[jobType] = (execution, ct) => Invoke(handler, execution, ct);
        return this;
    }

    /// <summary>Runs the handler of the execution's type; an unknown type or unbindable params is a decode failure.</summary>
    internal ValueTask<JobResult> InvokeAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(execution.Event.Type, out var invoke))
        {
            return ValueTask.FromResult(JobResult.Undecodable($"unknown job type '{execution.Event.Type}': no handler is registered"));
        }
        return invoke(execution, cancellationToken);
    }

    private ValueTask<JobResult> Invoke<TParams>(IJobHandler<TParams> handler, JobExecution execution, CancellationToken cancellationToken)
    {
        TParams? parameters;
        try
        {
            parameters = execution.Event.Params.Deserialize<TParams>(_paramsOptions);
        }
        catch (JsonException e)
        {
            // Params that do not bind can never succeed on retry: a decode failure, with the path that failed.
            return ValueTask.FromResult(JobResult.Undecodable($"params do not bind to {typeof(TParams).Name}: {e.Message}"));
        }
        if (parameters is null)
        {
            return ValueTask.FromResult(JobResult.Undecodable($"params do not bind to {typeof(TParams).Name}: null"));
        }
        return handler.HandleAsync(new Job<TParams>(execution.Event, parameters), execution.Context, cancellationToken);
    }
}

using Courier.Canaries;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>canary</c> block of a runner pool (<c>runners.&lt;name&gt;.canary</c>): runners of a new release judged
/// against the pool's (docs/operations.md "Canary releases of runners").
/// </summary>
public sealed class CanaryConfig
{
    /// <summary>The <c>slice</c> value that hashes the job id.</summary>
    public const string SliceJobId = "job_id";

    /// <summary>The <c>slice</c> value that hashes the wiki.</summary>
    public const string SliceDatabase = "database";

    /// <summary><c>urls</c>: base URLs of the canary runners.</summary>
    [ConfigurationKeyName("urls")]
    public ConfigList<Uri>? Urls { get; init; }

    /// <summary><c>release</c>: the canary's release label; default: what its runners announce (<c>Courier-Release</c>).</summary>
    [ConfigurationKeyName("release")]
    public string? Release { get; init; }

    /// <summary><c>slice</c>: <c>job_id</c> (default) or <c>database</c> (all jobs of a wiki on one side).</summary>
    [ConfigurationKeyName("slice")]
    public string? Slice { get; init; }

    /// <summary><c>databases</c>: wikis always on the canary (with <c>slice: database</c>).</summary>
    [ConfigurationKeyName("databases")]
    public ConfigList<string>? Databases { get; init; }

    /// <summary><c>steps</c>: percents of the pool's jobs the canary gets in turn, increasing, ending at 100 (default [10, 50, 100]).</summary>
    [ConfigurationKeyName("steps")]
    public ConfigList<int>? Steps { get; init; }

    /// <summary><c>step_after</c>: how long a step runs with a passing judgement before the next (default 5m).</summary>
    [ConfigurationKeyName("step_after")]
    public Duration? StepAfter { get; init; }

    /// <summary><c>gate</c>: <c>{floor, factor, min_samples}</c>.</summary>
    [ConfigurationKeyName("gate")]
    public CanaryGateConfig? Gate { get; init; }

    /// <summary><c>judge</c>: <c>{interval, intervals, alpha}</c>.</summary>
    [ConfigurationKeyName("judge")]
    public CanaryJudgeConfig? Judge { get; init; }

    /// <summary>The canary's options: these values where set, the defaults of <see cref="CanaryOptions"/> elsewhere.</summary>
    public CanaryOptions ToOptions()
    {
        var options = new CanaryOptions
        {
            Urls = [.. Urls ?? []],
            Release = Release,
            Slice = Slice == SliceDatabase ? CanarySliceKind.Database : CanarySliceKind.JobId,
            Databases = [.. Databases ?? []],
        };
        if (Steps is { Count: > 0 } steps)
        {
            options.Steps.Clear();
            foreach (var step in steps)
            {
                options.Steps.Add(step);
            }
        }
        options.StepAfter = StepAfter ?? options.StepAfter;
        options.Gate.Floor = Gate?.Floor ?? options.Gate.Floor;
        options.Gate.Factor = Gate?.Factor ?? options.Gate.Factor;
        options.Gate.MinSamples = Gate?.MinSamples ?? options.Gate.MinSamples;
        options.Judge.Interval = Judge?.Interval ?? options.Judge.Interval;
        options.Judge.Intervals = Judge?.Intervals ?? options.Judge.Intervals;
        options.Judge.Alpha = Judge?.Alpha ?? options.Judge.Alpha;
        return options;
    }
}

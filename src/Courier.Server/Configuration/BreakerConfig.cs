using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>breaker</c> block of a rule (<see cref="BreakerPolicy"/>), or <c>breaker: off</c>. Keys left out take the
/// default rule's values (or the built-in defaults when the default rule's breaker is off).
/// </summary>
[TypeConverter(typeof(BreakerConfigConverter))]
public sealed class BreakerConfig
{
    /// <summary>The value that turns the breaker off.</summary>
    public const string OffValue = OffConverter.OffValue;

    /// <summary>True for <c>breaker: off</c>.</summary>
    public bool IsOff { get; private init; }

    /// <summary><c>failure_ratio</c>: failed share of the window's attempts above which the breaker opens (between 0 and 1).</summary>
    [ConfigurationKeyName("failure_ratio")]
    public double? FailureRatio { get; init; }

    /// <summary><c>min_samples</c>: fewest attempts in the window before the ratio is judged.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("min_samples")]
    public int? MinSamples { get; init; }

    /// <summary><c>window</c>: the sliding window the ratio is taken over.</summary>
    [ConfigurationKeyName("window")]
    public Duration? Window { get; init; }

    /// <summary><c>open_for</c>: how long the first opening lasts.</summary>
    [ConfigurationKeyName("open_for")]
    public Duration? OpenFor { get; init; }

    /// <summary><c>max_open_for</c>: longest opening, after failed trials doubled it.</summary>
    [ConfigurationKeyName("max_open_for")]
    public Duration? MaxOpenFor { get; init; }

    /// <summary><c>half_open_jobs</c>: jobs let through in the half-open trial.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("half_open_jobs")]
    public int? HalfOpenJobs { get; init; }

    /// <summary><c>breaker: off</c>.</summary>
    internal static BreakerConfig Off { get; } = new() { IsOff = true };

    /// <summary>The policy: these values where set, <paramref name="fallback"/>'s (or the defaults when it is off) elsewhere.</summary>
    public BreakerPolicy Resolve(BreakerPolicy fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (IsOff)
        {
            return BreakerPolicy.Off;
        }
        var from = fallback.Enabled ? fallback : new BreakerPolicy();
        return new BreakerPolicy
        {
            FailureRatio = FailureRatio ?? from.FailureRatio,
            MinSamples = MinSamples ?? from.MinSamples,
            Window = Window?.TimeSpan ?? from.Window,
            OpenFor = OpenFor?.TimeSpan ?? from.OpenFor,
            MaxOpenFor = MaxOpenFor?.TimeSpan ?? from.MaxOpenFor,
            HalfOpenJobs = HalfOpenJobs ?? from.HalfOpenJobs,
        };
    }
}

/// <summary>Reads <c>breaker: off</c>.</summary>
public sealed class BreakerConfigConverter : OffConverter
{
    /// <inheritdoc/>
    protected override object Off => BreakerConfig.Off;

    /// <inheritdoc/>
    protected override string Help => "a breaker: write 'off' or a mapping (failure_ratio, min_samples, window, open_for, max_open_for, half_open_jobs)";
}

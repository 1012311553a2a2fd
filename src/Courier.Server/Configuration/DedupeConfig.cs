using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>dedupe</c> block of a rule (<see cref="DedupePolicy"/>), or <c>dedupe: off</c>. Keys left out take the
/// default rule's values (or the built-in defaults when the default rule's dedupe is off).
/// </summary>
[TypeConverter(typeof(DedupeConfigConverter))]
public sealed class DedupeConfig
{
    /// <summary>The value that turns deduplication off.</summary>
    public const string OffValue = OffConverter.OffValue;

    /// <summary>True for <c>dedupe: off</c>.</summary>
    public bool IsOff { get; private init; }

    /// <summary><c>window</c>: how long a handled event id and the last run of a <c>sha1</c> are remembered (default 1d).</summary>
    [ConfigurationKeyName("window")]
    public Duration? Window { get; init; }

    /// <summary><c>dedupe: off</c>.</summary>
    internal static DedupeConfig Off { get; } = new() { IsOff = true };

    /// <summary>The policy: these values where set, <paramref name="fallback"/>'s (or the defaults when it is off) elsewhere.</summary>
    public DedupePolicy Resolve(DedupePolicy fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (IsOff)
        {
            return DedupePolicy.Off;
        }
        var from = fallback.Enabled ? fallback : new DedupePolicy();
        return new DedupePolicy { Window = Window?.TimeSpan ?? from.Window, RootWindow = from.RootWindow };
    }
}

/// <summary>Reads <c>dedupe: off</c>.</summary>
public sealed class DedupeConfigConverter : OffConverter
{
    /// <inheritdoc/>
    protected override object Off => DedupeConfig.Off;

    /// <inheritdoc/>
    protected override string Help => "a dedupe setting: write 'off' or a mapping (window)";
}

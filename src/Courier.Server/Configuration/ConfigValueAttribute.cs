namespace Courier.Server.Configuration;

/// <summary>
/// The range of a single value in the configuration file, checked with the key's path and line before binding
/// (<see cref="ConfigShape"/>). Without it a string must not be empty, a duration must be longer than 0, and a whole
/// number may be anything.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigValueAttribute : Attribute
{
    /// <summary>For dictionary values (librdkafka settings): any text, including none.</summary>
    internal static ConfigValueAttribute Anything { get; } = new() { AllowEmpty = true, AllowZero = true };

    /// <summary>The least whole number allowed.</summary>
    public int Minimum { get; init; } = int.MinValue;

    /// <summary>The error for a number below <see cref="Minimum"/> (default: <c>must be at least N</c>).</summary>
    public string? TooSmall { get; init; }

    /// <summary>An empty string is a value (<c>job_topic_prefix: ""</c>).</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>A duration of 0 is a value (no wait).</summary>
    public bool AllowZero { get; init; }

    /// <summary>A mapping that may instead be the single value <c>off</c> (<c>breaker: off</c>).</summary>
    public bool AllowOff { get; init; }
}

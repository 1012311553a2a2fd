namespace Courier.Server.Internal;

/// <summary>A single value.</summary>
internal sealed class ConfigScalar : ConfigNode
{
    public required ConfigScalarKind Kind { get; init; }

    /// <summary>The text as written (numbers and booleans too); empty for null.</summary>
    public required string Value { get; init; }

    public override string Describe() => Kind switch
    {
        ConfigScalarKind.Null => "null",
        ConfigScalarKind.Number => "a number",
        ConfigScalarKind.Boolean => "a boolean",
        _ => "'" + Value + "'",
    };
}

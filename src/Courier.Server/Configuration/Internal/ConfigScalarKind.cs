namespace Courier.Server.Internal;

/// <summary>How a scalar was written, which decides what it may be read as.</summary>
internal enum ConfigScalarKind
{
    /// <summary>JSON null, or a YAML plain <c>null</c>, <c>~</c> or nothing.</summary>
    Null,

    /// <summary>A JSON string or a quoted / block YAML scalar: text, never a number.</summary>
    Text,

    /// <summary>A plain YAML scalar: text or a number, depending on what the key expects.</summary>
    Plain,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}

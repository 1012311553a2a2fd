namespace Courier;

/// <summary>Wire names of <see cref="FailureClass"/> values: <c>decode</c>, <c>retryable</c>, <c>permanent</c>, <c>backpressure</c>.</summary>
public static class FailureClasses
{
    /// <summary>The wire name of a class.</summary>
    public static string ToWireName(this FailureClass failureClass) => failureClass switch
    {
        FailureClass.Decode => "decode",
        FailureClass.Retryable => "retryable",
        FailureClass.Permanent => "permanent",
        FailureClass.Backpressure => "backpressure",
        _ => throw new ArgumentOutOfRangeException(nameof(failureClass), failureClass, null),
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? value, out FailureClass failureClass)
    {
        switch (value?.ToUpperInvariant())
        {
            case "DECODE": failureClass = FailureClass.Decode; return true;
            case "RETRYABLE": failureClass = FailureClass.Retryable; return true;
            case "PERMANENT": failureClass = FailureClass.Permanent; return true;
            case "BACKPRESSURE": failureClass = FailureClass.Backpressure; return true;
            default: failureClass = default; return false;
        }
    }
}

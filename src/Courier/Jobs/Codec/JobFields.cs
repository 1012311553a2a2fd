namespace Courier.Jobs.Codec;

/// <summary>Rules for envelope values that the encoder, the decoder and the client share.</summary>
internal static class JobFields
{
    /// <summary>
    /// Why a job type is not acceptable, or null. A type becomes part of a topic name, a metric label and a log
    /// field, so whitespace and control characters are refused.
    /// </summary>
    public static string? TypeError(string type)
    {
        if (type.Length == 0)
        {
            return "must not be empty";
        }
        foreach (var c in type)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"must not contain whitespace or control characters, got {JsonPaths.Quote(type)}";
            }
        }
        return null;
    }
}

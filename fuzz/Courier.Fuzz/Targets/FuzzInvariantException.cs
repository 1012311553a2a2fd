namespace Courier.Fuzz.Targets;

/// <summary>An edge answered an input in a way it promises never to (e.g. a refusal without a reason): a bug, like a crash.</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>Creates the exception with what was broken.</summary>
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public FuzzInvariantException()
    {
    }

    /// <summary>Creates the exception with what was broken and its cause.</summary>
    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}

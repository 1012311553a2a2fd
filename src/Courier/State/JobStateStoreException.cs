namespace Courier.State;

/// <summary>The state store could not be reached or failed an operation; the caller fails open and counts it.</summary>
public sealed class JobStateStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobStateStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JobStateStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store client's error.</summary>
    public JobStateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

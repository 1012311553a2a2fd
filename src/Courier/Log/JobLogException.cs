namespace Courier;

/// <summary>The job log failed an operation (I/O, a locked or corrupt store, a broker error).</summary>
public class JobLogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobLogException() { }

    /// <summary>Creates the exception with a message.</summary>
    public JobLogException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public JobLogException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// True when the client that threw can never recover (Kafka's fatal errors): the owner must close it and
    /// create a new one. False for errors that a retry may get past.
    /// </summary>
    public bool IsFatal { get; init; }
}

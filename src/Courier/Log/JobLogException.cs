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
}

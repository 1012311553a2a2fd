namespace Courier;

/// <summary>Thrown by a handler when the job can never succeed; the job is dead-lettered without retries.</summary>
public class PermanentJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PermanentJobException() { }

    /// <summary>Creates the exception with a message.</summary>
    public PermanentJobException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public PermanentJobException(string message, Exception innerException) : base(message, innerException) { }
}

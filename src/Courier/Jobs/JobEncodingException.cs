namespace Courier;

/// <summary>A job cannot be encoded: a required field is missing, params is not an object, or it is too large.</summary>
public class JobEncodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobEncodingException() { }

    /// <summary>Creates the exception with a message.</summary>
    public JobEncodingException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public JobEncodingException(string message, Exception innerException) : base(message, innerException) { }
}

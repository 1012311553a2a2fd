namespace Courier.Server.Data;

/// <summary>A file in the data directory cannot be opened or used (locked, corrupt, unreadable). The message names the file.</summary>
public sealed class DataFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    public DataFileException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DataFileException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DataFileException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a file.</summary>
    public DataFileException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException) => FilePath = path;

    /// <summary>The file, when known.</summary>
    public string? FilePath { get; }
}

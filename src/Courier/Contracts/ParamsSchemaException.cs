namespace Courier;

/// <summary>
/// A params schema directory or file cannot be loaded: bad JSON, a file name that is not a version, a schema that is
/// not closed (<c>additionalProperties: false</c>), or not a valid JSON Schema. Every problem is listed in
/// <see cref="Problems"/>, each starting with the file it is about.
/// </summary>
public sealed class ParamsSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParamsSchemaException() : this("the params schemas cannot be loaded") { }

    /// <summary>Creates the exception with a message (one problem).</summary>
    public ParamsSchemaException(string message) : base(message) => Problems = [message];

    /// <summary>Creates the exception with a message and cause.</summary>
    public ParamsSchemaException(string message, Exception innerException) : base(message, innerException) => Problems = [message];

    /// <summary>Creates the exception listing several problems.</summary>
    public ParamsSchemaException(string summary, IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? problems[0] : summary + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems)) =>
        Problems = problems;

    /// <summary>Each problem found, starting with the file or directory it is about.</summary>
    public IReadOnlyList<string> Problems { get; }
}

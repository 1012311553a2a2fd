namespace Courier.Testing;

/// <summary>The checkout the tests were built from: the nearest directory above the test assembly holding Courier.slnx.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The demo job types' params schemas (<c>jobs/schemas</c>).</summary>
    public static string SchemaDirectory => System.IO.Path.Combine(Path, "jobs", "schemas");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Courier.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Courier.slnx not found above " + AppContext.BaseDirectory);
    }
}

namespace Courier.Tests.Contracts;

/// <summary>The repository checkout the tests run from (the directory holding Courier.slnx).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string SchemaDirectory => System.IO.Path.Combine(Path, "jobs", "schemas");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Courier.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Courier.slnx above {AppContext.BaseDirectory}");
    }
}

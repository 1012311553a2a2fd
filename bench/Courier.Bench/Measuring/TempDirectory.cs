namespace Courier.Bench;

/// <summary>A fresh directory for one system's store, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string label) => Path = Directory.CreateTempSubdirectory($"courier-bench-{label}-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not delete {Path}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"could not delete {Path}: {e.Message}");
        }
    }
}

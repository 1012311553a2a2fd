namespace Courier.EndToEnd.Support;

/// <summary>A fresh directory under the system temp path, deleted (best effort) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "courier-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A directory left in /tmp is harmless; a failed cleanup must not hide the test's own result.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

namespace Courier.Testing;

/// <summary>A fresh directory under the system temp path, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates <c>&lt;temp&gt;/courier-tests/&lt;area&gt;/&lt;guid&gt;</c>.</summary>
    public TempDirectory(string area = "misc")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "courier-tests", area, Guid.NewGuid().ToString("N"));
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

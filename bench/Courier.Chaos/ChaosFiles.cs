namespace Courier.Chaos;

/// <summary>The files and folders of a soak's working directory.</summary>
internal sealed class ChaosFiles
{
    /// <summary>The embedded job log's file name in the data directory.</summary>
    public const string LogDb = "log.db";

    /// <summary>The embedded state store's file name in the data directory.</summary>
    public const string StateDb = "state.db";

    public ChaosFiles(string root)
    {
        Root = root;
        Directory.CreateDirectory(Data);
        Directory.CreateDirectory(Logs);
    }

    /// <summary>The working directory.</summary>
    public string Root { get; }

    /// <summary>The dispatchers' data directory (a tmpfs mount point when the disk-full fault is on).</summary>
    public string Data => Path.Combine(Root, "data");

    /// <summary>Where each process's output is kept.</summary>
    public string Logs => Path.Combine(Root, "logs");

    /// <summary>The generated dispatcher configuration.</summary>
    public string Config => Path.Combine(Root, "courier.yaml");

    /// <summary>The final <c>courier audit --json</c> output, kept for reading the duplicates and lost jobs it lists.</summary>
    public string AuditJson => Path.Combine(Root, "audit.json");

    /// <summary>The runners' signing keys (<c>id=secret</c>).</summary>
    public string RunnerKeys => Path.Combine(Root, "runner-keys");

    /// <summary>Runner <paramref name="index"/>'s own data directory (its demo inbox).</summary>
    public string RunnerData(int index) => Path.Combine(Root, $"runner-{index}");
}

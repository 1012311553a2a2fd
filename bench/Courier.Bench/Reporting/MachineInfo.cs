using System.Globalization;
using System.Runtime.InteropServices;

namespace Courier.Bench;

/// <summary>The machine a run was taken on, and how busy it was.</summary>
internal sealed record MachineInfo
{
    public required DateTimeOffset Date { get; init; }
    public required int Cores { get; init; }
    public required string Cpu { get; init; }
    public required long MemoryBytes { get; init; }
    public required string Runtime { get; init; }
    public required string Os { get; init; }
    public required string LoadAverageAtStart { get; init; }
    public string? LoadAverageAtEnd { get; init; }

    public static MachineInfo Describe() => new()
    {
        Date = DateTimeOffset.UtcNow,
        Cores = Environment.ProcessorCount,
        Cpu = ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        MemoryBytes = MemTotal(),
        Runtime = RuntimeInformation.FrameworkDescription,
        Os = RuntimeInformation.OSDescription,
        LoadAverageAtStart = LoadAverage(),
    };

    /// <summary>The 1, 5 and 15 minute load averages, to show whether the machine was quiet.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string? ProcLine(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    private static long MemTotal()
    {
        // /proc/meminfo says "MemTotal:  24563824 kB".
        var value = ProcLine("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? kib * 1024
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}

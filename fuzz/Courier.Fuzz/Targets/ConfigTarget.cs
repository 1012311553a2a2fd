using Courier.Server.Configuration;

namespace Courier.Fuzz.Targets;

/// <summary>
/// The configuration loader: the bytes as a YAML configuration file (courier.yaml in a folder of this process's own),
/// loaded, bound and checked as <c>courier serve --config</c> does. A refusal is a <see cref="CourierConfigException"/>
/// naming the file; no environment variable is read over it.
/// </summary>
public static class ConfigTarget
{
    private const string NoEnvironment = "COURIER_FUZZ_NOTHING__";

    private static readonly Lazy<string> File = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), $"courier-fuzz-config-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "courier.yaml");
    });

    /// <summary>Loads <paramref name="input"/> as a configuration file; throws only on a bug.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var path = File.Value;
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            stream.Write(input);
        }
        try
        {
            CourierConfigFile.Load(path, NoEnvironment);
        }
        catch (CourierConfigException e)
        {
            FuzzInvariantException.Require(e.Message.Length > 0, "a configuration refused without a message");
        }
    }
}

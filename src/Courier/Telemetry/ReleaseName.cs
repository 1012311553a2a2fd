using System.Reflection;

namespace Courier.Telemetry;

/// <summary>
/// The default of <see cref="CourierOptions.Release"/>: the <c>COURIER_RELEASE</c> environment variable when set (the
/// one place that reads it), else the informational version of the entry assembly (the application, whose handlers
/// run), else of Courier itself. The version is kept whole, a <c>+commit</c> suffix included, so two builds of one
/// version are told apart.
/// </summary>
public static class ReleaseName
{
    /// <summary>The environment variable that names the release.</summary>
    public const string EnvironmentVariable = "COURIER_RELEASE";

    /// <summary>Read once per process: the release is one string for all of it.</summary>
    public static readonly string Default = Resolve(Environment.GetEnvironmentVariable, Assembly.GetEntryAssembly());

    /// <summary>The release from <paramref name="environment"/> or the informational version of <paramref name="entry"/>.</summary>
    public static string Resolve(Func<string, string?> environment, Assembly? entry)
    {
        if (environment(EnvironmentVariable) is { } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }
        foreach (var assembly in (ReadOnlySpan<Assembly?>)[entry, typeof(ReleaseName).Assembly])
        {
            if (assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { Length: > 0 } version)
            {
                return version;
            }
            if (assembly?.GetName().Version is { } plain)
            {
                return plain.ToString();
            }
        }
        return "0.0.0";
    }
}

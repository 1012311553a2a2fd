using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>probe</c> block of a rule (<c>dispatcher.rules.&lt;type&gt;.probe</c>): a synthetic probe of the type.</summary>
public sealed class ProbeConfig
{
    /// <summary><c>every</c>: the probe interval (default 20s).</summary>
    [ConfigurationKeyName("every")]
    public Duration? Every { get; init; }

    /// <summary>
    /// <c>params</c>: the probe job's params, a JSON object written as text (in YAML, quoted:
    /// <c>params: '{"title": "Probe"}'</c>); checked against the type's params schema at start. Default <c>{}</c>.
    /// </summary>
    [ConfigurationKeyName("params")]
    public string? Params { get; init; }

    /// <summary><c>database</c>: the probe job's database (default <c>courier-probe</c>).</summary>
    [ConfigurationKeyName("database")]
    public string? Database { get; init; }

    /// <summary>The probe these values describe (the defaults of <see cref="ProbeSpec"/> where unset).</summary>
    public ProbeSpec ToSpec()
    {
        var spec = new ProbeSpec();
        if (Every is { } every)
        {
            spec.Every = every.TimeSpan;
        }
        if (Params is { } text)
        {
            spec.Params = JsonElement.Parse(text);
        }
        if (Database is { } database)
        {
            spec.Database = database;
        }
        return spec;
    }
}

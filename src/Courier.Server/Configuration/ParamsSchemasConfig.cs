using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>params_schemas</c> section of the configuration file: which params schemas jobs are checked against.</summary>
public sealed class ParamsSchemasConfig
{
    /// <summary><c>directory</c>: the schema directory (<c>&lt;type&gt;/&lt;major.minor.patch&gt;.json</c>); the demo schemas when absent.</summary>
    [ConfigurationKeyName("directory")]
    public string? Directory { get; set; }

    /// <summary><c>require_schemas</c>: refuse job types without a schema (<see cref="CourierOptions.RequireParamsSchemas"/>).</summary>
    [ConfigurationKeyName("require_schemas")]
    public bool? RequireSchemas { get; init; }

    /// <summary><c>require_version</c>: refuse jobs that name no params version (<see cref="CourierOptions.RequireParamsVersion"/>).</summary>
    [ConfigurationKeyName("require_version")]
    public bool? RequireVersion { get; init; }
}

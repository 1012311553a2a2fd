using Courier.Server.Demo;

namespace Courier.Server.Hosting;

/// <summary>
/// The params schemas a host (dispatcher service or runner service) checks jobs against: the configured directory,
/// where types without a schema pass unless <c>require_schemas</c> says otherwise; else, for the demo, the demo's
/// schemas, strict by default (every demo type has one); else none.
/// </summary>
internal static class HostSchemas
{
    public static void Use(CourierBuilder courier, string? directory, bool? requireSchemas, bool demo)
    {
        if (directory is not null)
        {
            courier.UseParamsSchemas(directory, requireSchemas ?? false);
        }
        else if (demo)
        {
            courier.UseParamsSchemas(DemoSchemas.Directory, requireSchemas ?? true);
        }
    }
}

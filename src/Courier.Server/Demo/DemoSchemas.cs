namespace Courier.Server.Demo;

/// <summary>
/// The params schemas of the demo job types (<c>jobs/schemas</c> in the repository, copied beside the program at
/// build time). The demo checks jobs against them with <see cref="CourierOptions.RequireParamsSchemas"/> set: a demo
/// server refuses job types that have no schema.
/// </summary>
internal static class DemoSchemas
{
    /// <summary>The directory: <c>jobs/schemas</c> under the program's base directory.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "jobs", "schemas");
}

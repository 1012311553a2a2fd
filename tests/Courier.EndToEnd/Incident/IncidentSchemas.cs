namespace Courier.EndToEnd.Incident;

/// <summary>
/// massMessage's params schemas, in <c>Incident/Schemas</c> beside the tests (copies of the server tests' incident
/// fixture): 1.0.0 without the title, 2.0.0 with the prefixed title as <c>params.title</c>.
/// </summary>
internal static class IncidentSchemas
{
    public const string JobType = "massMessage";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Incident", "Schemas");

    /// <summary>Both versions: what the producers' build and the fixed dispatcher build load.</summary>
    public static ParamsSchemaRegistry Both() => ParamsSchemaRegistry.Load(Directory);

    /// <summary>Version 1 only: the schema directory of the dispatchers that were running when version 2 shipped.</summary>
    public static ParamsSchemaRegistry Version1Only() =>
        ParamsSchemaRegistry.Create(Both().GetVersions(JobType).Where(s => s.Version.Major == 1));
}

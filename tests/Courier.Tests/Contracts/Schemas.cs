using System.Text.Json;

namespace Courier.Tests.Contracts;

/// <summary>Schemas for the compatibility tests, written compactly.</summary>
internal static class Schemas
{
    public static readonly ParamsSchemaVersion V1 = new(1, 0, 0);
    public static readonly ParamsSchemaVersion V2 = new(2, 0, 0);
    public static readonly ParamsSchemaVersion V3 = new(3, 0, 0);

    /// <summary>JSON with single quotes for double quotes, so a schema fits on a line of C#.</summary>
    public static JsonElement Doc(string text) => JsonElement.Parse(text.Replace('\'', '"'));

    /// <summary>A closed params object (<c>additionalProperties: false</c>) with these properties and required names.</summary>
    public static JsonElement Closed(string properties, params string[] required) => Object(properties, required, "'additionalProperties':false,");

    /// <summary>An open params object (no <c>additionalProperties</c>).</summary>
    public static JsonElement Open(string properties, params string[] required) => Object(properties, required, "");

    /// <summary>Violations of one direction only, as <c>path rule</c> strings.</summary>
    public static string[] Found(JsonElement older, JsonElement newer, CompatibilityDirection direction) =>
        SchemaCompatibilityChecker.Compare("t", V1, older, V2, newer,
                direction == CompatibilityDirection.Backward ? CompatibilityMode.Backward : CompatibilityMode.Forward)
            .Select(v => $"{v.Path} {v.Rule}")
            .ToArray();

    private static JsonElement Object(string properties, string[] required, string closed) =>
        Doc("{'type':'object'," + closed + "'properties':{" + properties + "},'required':["
            + string.Join(",", required.Select(r => "'" + r + "'")) + "]}");
}

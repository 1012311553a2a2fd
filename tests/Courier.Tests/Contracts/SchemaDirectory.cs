using Courier.Testing;

namespace Courier.Tests.Contracts;

/// <summary>A params schema directory in a temporary folder, written file by file.</summary>
internal sealed class SchemaDirectory : IDisposable
{
    /// <summary>The params schema of the harness's <see cref="TestParams"/> (version 1.0.0 of the test types).</summary>
    public const string TestParamsSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "required": ["name"],
          "properties": {
            "name": { "type": "string", "minLength": 1 },
            "failAttempts": { "type": "integer", "minimum": 0 },
            "fail": { "type": ["string", "null"] },
            "delayMs": { "type": "integer", "minimum": 0 },
            "backpressure": { "type": "boolean" }
          }
        }
        """;

    private readonly TempDirectory _directory = new("schemas");

    public string Path => _directory.Path;

    public string Write(string type, string fileName, string json)
    {
        var folder = System.IO.Path.Combine(Path, type);
        Directory.CreateDirectory(folder);
        var file = System.IO.Path.Combine(folder, fileName);
        File.WriteAllText(file, json);
        return file;
    }

    public ParamsSchemaRegistry Load() => ParamsSchemaRegistry.Load(Path);

    public void Dispose() => _directory.Dispose();

    /// <summary>A closed object schema with the given properties and required names.</summary>
    public static string Closed(string properties, params string[] required) =>
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\", \"additionalProperties\": false, "
        + "\"required\": [" + string.Join(", ", required.Select(r => "\"" + r + "\"")) + "], \"properties\": {" + properties + "}}";
}

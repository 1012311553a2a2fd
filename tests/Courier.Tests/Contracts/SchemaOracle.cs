using System.Text.Json;
using Json.Schema;

namespace Courier.Tests.Contracts;

/// <summary>A real validator (JsonSchema.Net, formats asserted as Courier's registry does) to judge the checker's verdicts.</summary>
internal sealed class SchemaOracle
{
    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    private readonly JsonSchema _schema;

    public SchemaOracle(JsonElement schema)
    {
        // A registry per schema: built schemas are registered by base URI.
        _schema = JsonSchema.Build(schema, new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 },
            new Uri($"urn:courier:test:{Guid.NewGuid():N}"));
    }

    public bool Accepts(JsonElement instance) => _schema.Evaluate(instance, Options).IsValid;
}

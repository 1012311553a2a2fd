using System.Text.Json;
using Courier.Contracts;
using Courier.Jobs.Codec;
using Json.Schema;

namespace Courier;

/// <summary>
/// One version of a job type's params schema: a JSON Schema (draft 2020-12) with a closed content model
/// (<c>additionalProperties: false</c> at the top). Validation is JsonSchema.Net's; this type maps its results to
/// field paths and rules. Immutable and thread-safe.
/// </summary>
public sealed class ParamsSchema
{
    /// <summary>The draft every params schema is read as; a file may name it in <c>$schema</c>, and no other.</summary>
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };
    private static readonly JsonElement EmptyObject = JsonElement.Parse("{}"u8);

    private readonly JsonSchema _schema;

    private ParamsSchema(string jobType, ParamsSchemaVersion version, string source, JsonElement document, JsonSchema schema)
    {
        JobType = jobType;
        Version = version;
        VersionText = version.ToString();
        Source = source;
        Document = document;
        _schema = schema;
    }

    /// <summary>The job type whose params this schema describes.</summary>
    public string JobType { get; }

    /// <summary>The schema's version.</summary>
    public ParamsSchemaVersion Version { get; }

    /// <summary>The version as written in <c>meta.params_version</c>, made once.</summary>
    internal string VersionText { get; }

    /// <summary>Where the schema came from (its file path), for messages.</summary>
    public string Source { get; }

    /// <summary>The schema as JSON.</summary>
    public JsonElement Document { get; }

    /// <summary>
    /// Reads a schema from JSON text. Refuses (with <see cref="ParamsSchemaException"/>, the message starting with
    /// <paramref name="source"/>): text that is not JSON or has duplicate keys, a top level that is not an object, a
    /// <c>$schema</c> other than <see cref="Draft"/>, a top level without <c>"type": "object"</c> or without
    /// <c>"additionalProperties": false</c>, and anything JsonSchema.Net cannot build or evaluate.
    /// </summary>
    public static ParamsSchema Parse(string jobType, ParamsSchemaVersion version, string json, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (JobFields.TypeError(jobType) is { } typeError)
        {
            throw new ParamsSchemaException($"{source}: job type {typeError}");
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ParamsSchemaException($"{source}: not valid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ParamsSchemaException($"{source}: a params schema is a JSON object, got {JsonPaths.Kind(root.ValueKind)}");
        }
        if (root.TryGetProperty("$schema", out var draft)
            && (draft.ValueKind != JsonValueKind.String || draft.GetString()!.TrimEnd('#') != Draft))
        {
            throw new ParamsSchemaException($"{source}: $schema is {draft.GetRawText()}; params schemas are JSON Schema draft 2020-12 (\"{Draft}\")");
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            throw new ParamsSchemaException($"{source}: the top level must say \"type\": \"object\" (params are always a JSON object)");
        }
        if (!root.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
        {
            // A closed content model is what makes compatibility checkable: with an open one, a field a reader
            // does not know can mean anything, and a removed field looks the same as one never sent.
            throw new ParamsSchemaException($"{source}: the top level must say \"additionalProperties\": false (params schemas use a closed content model)");
        }

        JsonSchema schema;
        try
        {
            // A registry of its own per schema: JsonSchema.Net registers built schemas by $id, and two versions (or
            // two loads of one directory) may share an $id.
            schema = JsonSchema.Build(root, new BuildOptions { SchemaRegistry = new SchemaRegistry() },
                new Uri($"urn:courier:params:{Uri.EscapeDataString(jobType)}:{version}"));
            // Evaluating once surfaces what building does not check, such as a $ref that resolves nowhere.
            schema.Evaluate(EmptyObject, SchemaViolations.EvaluationOptions);
        }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException or JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ParamsSchemaException($"{source}: not a valid JSON Schema: {e.Message}", e);
        }
        return new ParamsSchema(jobType, version, source, root, schema);
    }

    /// <summary>
    /// Validates params; returns each field that breaks the schema with the rule it breaks (empty when they match).
    /// Paths start at <c>params</c>; a missing required field is named by its own path.
    /// </summary>
    public IReadOnlyList<ParamsViolation> Validate(JsonElement parameters)
    {
        EvaluationResults results;
        try
        {
            results = _schema.Evaluate(parameters, SchemaViolations.EvaluationOptions);
        }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException)
        {
            return [new ParamsViolation("params", "schema", $"the schema cannot be evaluated: {e.Message}")];
        }
        return results.IsValid ? [] : SchemaViolations.From(results, Document, parameters);
    }

    /// <summary><c>type version</c>.</summary>
    public override string ToString() => $"{JobType} {Version}";
}

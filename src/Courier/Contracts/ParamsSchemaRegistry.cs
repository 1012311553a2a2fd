using System.Text.Json;
using Courier.Contracts;
using Courier.Jobs.Codec;

namespace Courier;

/// <summary>
/// The params schemas of every job type, by version, loaded once at start from a schema directory laid out as
/// <c>&lt;directory&gt;/&lt;job type&gt;/&lt;major.minor.patch&gt;.json</c> (docs/contracts.md "Params schemas").
/// Resolves (type, version) to a schema and checks params against it. The newest version of a type is the one
/// producers write by default. Immutable and thread-safe.
/// </summary>
public sealed class ParamsSchemaRegistry
{
    private readonly Dictionary<string, ParamsSchema[]> _byType;

    private ParamsSchemaRegistry(string? directory, Dictionary<string, ParamsSchema[]> byType)
    {
        Directory = directory;
        _byType = byType;
    }

    /// <summary>The directory the schemas were loaded from; null when built from schemas in memory.</summary>
    public string? Directory { get; }

    /// <summary>Job types with at least one schema, in ordinal order.</summary>
    public IReadOnlyList<string> JobTypes => _byType.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Loads every schema of a directory. Each subdirectory is a job type (hidden ones, starting with <c>.</c>, are
    /// skipped; files at the top level are ignored, so a README may sit there); in it, each <c>*.json</c> file is one
    /// version, named <c>major.minor.patch.json</c>; other files are ignored. All problems are collected and thrown
    /// together as one <see cref="ParamsSchemaException"/>, each naming its file: a file name that is not a version,
    /// JSON that does not parse, a schema that is not closed (<c>additionalProperties: false</c> at the top), or not
    /// a valid JSON Schema (see <see cref="ParamsSchema.Parse"/>).
    /// </summary>
    public static ParamsSchemaRegistry Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new ParamsSchemaException($"{directory}: the params schema directory does not exist");
        }
        var problems = new List<string>();
        var schemas = new List<ParamsSchema>();
        foreach (var typeDirectory in System.IO.Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var type = Path.GetFileName(typeDirectory);
            if (type.StartsWith('.'))
            {
                continue;
            }
            if (JobFields.TypeError(type) is { } typeError)
            {
                problems.Add($"{typeDirectory}: not a job type name: {typeError}");
                continue;
            }
            var files = System.IO.Directory.EnumerateFiles(typeDirectory, "*.json").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                problems.Add($"{typeDirectory}: no schema versions (expected files named major.minor.patch.json, e.g. 1.0.0.json)");
                continue;
            }
            foreach (var file in files)
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!ParamsSchemaVersion.TryParse(name, out var version, out var versionError))
                {
                    problems.Add($"{file}: the file name is not a schema version: {versionError}");
                    continue;
                }
                try
                {
                    schemas.Add(ParamsSchema.Parse(type, version, File.ReadAllText(file), file));
                }
                catch (ParamsSchemaException e)
                {
                    problems.Add(e.Message);
                }
                catch (IOException e)
                {
                    problems.Add($"{file}: cannot be read: {e.Message}");
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new ParamsSchemaException($"{problems.Count} problems in the params schema directory {directory}:", problems);
        }
        return Build(root, schemas);
    }

    /// <summary>A registry of schemas already read (for tools and tests); two schemas of one type and version are refused.</summary>
    public static ParamsSchemaRegistry Create(IEnumerable<ParamsSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return Build(null, schemas);
    }

    /// <summary>True when <paramref name="jobType"/> has at least one schema.</summary>
    public bool HasSchemas(string jobType) => _byType.ContainsKey(jobType);

    /// <summary>The schemas of a type, oldest first; empty when it has none.</summary>
    public IReadOnlyList<ParamsSchema> GetVersions(string jobType) => _byType.TryGetValue(jobType, out var versions) ? versions : [];

    /// <summary>The newest schema of a type (what producers write by default), or null.</summary>
    public ParamsSchema? GetLatest(string jobType) => _byType.TryGetValue(jobType, out var versions) ? versions[^1] : null;

    /// <summary>The schema of a type at a version, or null.</summary>
    public ParamsSchema? Find(string jobType, ParamsSchemaVersion version)
    {
        if (!_byType.TryGetValue(jobType, out var versions))
        {
            return null;
        }
        foreach (var schema in versions)
        {
            if (schema.Version == version)
            {
                return schema;
            }
        }
        return null;
    }

    /// <summary>
    /// Checks a job's params against the schema of the version it names (<c>meta.params_version</c>). A version the
    /// type does not have is refused, as are params that break their schema. A type without schemas is accepted
    /// unchecked unless <paramref name="requireSchema"/>; a job naming no version is accepted unchecked unless
    /// <paramref name="requireVersion"/> (events from producers without schemas, such as MediaWiki, name none).
    /// <see cref="ParamsCheckResult.Error"/> names the type, the version and each field and rule.
    /// </summary>
    public ParamsCheckResult Check(string jobType, string? version, JsonElement parameters, bool requireSchema = false, bool requireVersion = false)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        if (!_byType.TryGetValue(jobType, out var versions))
        {
            return requireSchema
                ? Fail(ParamsCheckOutcome.NoSchema, null,
                    $"job type '{jobType}' has no params schema{Where()}, and params schemas are required")
                : Unchecked;
        }
        if (version is null)
        {
            return requireVersion
                ? Fail(ParamsCheckOutcome.MissingVersion, null,
                    $"meta.params_version is missing: job type '{jobType}' has params schemas {Known(versions)}{Where()}, and jobs must name their version")
                : Unchecked;
        }
        if (!ParamsSchemaVersion.TryParse(version, out var parsed, out var versionError))
        {
            return Fail(ParamsCheckOutcome.UnknownVersion, null, $"meta.params_version: {versionError}");
        }
        ParamsSchema? schema = null;
        foreach (var candidate in versions)
        {
            if (candidate.Version == parsed)
            {
                schema = candidate;
                break;
            }
        }
        if (schema is null)
        {
            return Fail(ParamsCheckOutcome.UnknownVersion, null,
                $"job type '{jobType}' has no params schema version {version}{Where()}; known versions: {Known(versions)}");
        }
        var violations = schema.Validate(parameters);
        return violations.Count == 0
            ? new ParamsCheckResult(ParamsCheckOutcome.Valid, schema, null, null)
            : Fail(ParamsCheckOutcome.Mismatch, schema,
                $"{jobType} params do not match params schema {schema.Version}: {SchemaViolations.Describe(violations)}", violations);
    }

    private static ParamsCheckResult Unchecked => new(ParamsCheckOutcome.Unchecked, null, null, null);

    private static ParamsCheckResult Fail(ParamsCheckOutcome outcome, ParamsSchema? schema, string error,
        IReadOnlyList<ParamsViolation>? violations = null) => new(outcome, schema, error, violations);

    private string Where() => Directory is null ? "" : $" in {Directory}";

    private static string Known(ParamsSchema[] versions) => string.Join(", ", versions.Select(v => v.Version));

    private static ParamsSchemaRegistry Build(string? directory, IEnumerable<ParamsSchema> schemas)
    {
        var byType = new Dictionary<string, ParamsSchema[]>(StringComparer.Ordinal);
        foreach (var group in schemas.GroupBy(s => s.JobType, StringComparer.Ordinal))
        {
            var versions = group.OrderBy(s => s.Version).ToArray();
            for (var i = 1; i < versions.Length; i++)
            {
                if (versions[i].Version == versions[i - 1].Version)
                {
                    throw new ParamsSchemaException(
                        $"{versions[i].Source}: job type '{group.Key}' has version {versions[i].Version} twice (also {versions[i - 1].Source})");
                }
            }
            byType[group.Key] = versions;
        }
        return new ParamsSchemaRegistry(directory, byType);
    }
}

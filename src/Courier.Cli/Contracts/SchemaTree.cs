using System.Text.Json;

namespace Courier.Cli.Contracts;

/// <summary>
/// The params schemas of a schema directory, read from disk or from a git revision, laid out as the registry reads
/// them: <c>&lt;dir&gt;/&lt;type&gt;/&lt;major.minor.patch&gt;.json</c>, hidden type directories skipped, other top-level
/// files ignored except <c>compatibility.json</c> (the modes), other files in a type directory ignored. Every problem
/// is a usage error naming its file.
/// </summary>
internal sealed class SchemaTree
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private readonly SortedDictionary<string, SortedDictionary<ParamsSchemaVersion, JsonElement>> _types = new(StringComparer.Ordinal);

    private SchemaTree(string description) => Description = description;

    /// <summary>Where the schemas came from: the directory, or <c>git REV:dir</c>.</summary>
    public string Description { get; }

    public SchemaCompatibilityConfig Config { get; private set; } = new();

    public IReadOnlyCollection<string> JobTypes => _types.Keys;

    public int VersionCount => _types.Values.Sum(v => v.Count);

    public IReadOnlyDictionary<ParamsSchemaVersion, JsonElement> Versions(string jobType) =>
        _types.TryGetValue(jobType, out var versions) ? versions : new SortedDictionary<ParamsSchemaVersion, JsonElement>();

    public static SchemaTree FromDirectory(string directory, string option)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"{option}: the schema directory {directory} does not exist");
        }
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            files.Add(Path.GetFileName(file));
        }
        foreach (var typeDirectory in Directory.EnumerateDirectories(directory))
        {
            var type = Path.GetFileName(typeDirectory);
            files.AddRange(Directory.EnumerateFiles(typeDirectory).Select(f => type + "/" + Path.GetFileName(f)));
        }
        return Build(directory, files, path => File.ReadAllText(Path.Combine(directory, path)), path => Path.Combine(directory, path));
    }

    public static async Task<SchemaTree> FromGitAsync(string directory, string revision, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"--dir: the schema directory {directory} does not exist");
        }
        var git = await GitRepository.OpenAsync(directory, cancellationToken);
        await git.VerifyCommitAsync(revision, cancellationToken);
        var files = await git.ListFilesAsync(revision, cancellationToken);
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.Where(IsRead))
        {
            contents[file] = await git.ReadFileAsync(revision, file, cancellationToken);
        }
        return Build($"git {revision}:{git.Prefix.TrimEnd('/')}", files, path => contents[path], path => $"{revision}:{git.Prefix}{path}");
    }

    /// <summary>Whether a path (relative to the schema directory, with <c>/</c>) is a file the check reads.</summary>
    private static bool IsRead(string path)
    {
        var parts = path.Split('/');
        return parts switch
        {
            [var name] => name == SchemaCompatibilityConfig.FileName,
            [var type, var name] => !type.StartsWith('.') && name.EndsWith(".json", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static SchemaTree Build(string description, IEnumerable<string> files, Func<string, string> read, Func<string, string> display)
    {
        var tree = new SchemaTree(description);
        var problems = new List<string>();
        foreach (var path in files.Where(IsRead).Order(StringComparer.Ordinal))
        {
            var shown = display(path);
            string text;
            try
            {
                text = read(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{shown}: cannot be read: {e.Message}");
                continue;
            }
            if (path == SchemaCompatibilityConfig.FileName)
            {
                try
                {
                    tree.Config = SchemaCompatibilityConfig.Parse(text, shown);
                }
                catch (FormatException e)
                {
                    problems.Add(e.Message);
                }
                continue;
            }
            var type = path[..path.IndexOf('/', StringComparison.Ordinal)];
            var name = Path.GetFileNameWithoutExtension(path[(type.Length + 1)..]);
            if (!ParamsSchemaVersion.TryParse(name, out var version))
            {
                problems.Add($"{shown}: the file name is not a schema version (expected major.minor.patch.json, e.g. 1.0.0.json)");
                continue;
            }
            JsonElement schema;
            try
            {
                using var document = JsonDocument.Parse(text, DocumentOptions);
                schema = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                problems.Add($"{shown}: not valid JSON: {e.Message}");
                continue;
            }
            if (schema.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{shown}: a params schema is a JSON object, not {schema.ValueKind.ToString().ToLowerInvariant()}");
                continue;
            }
            if (!tree._types.TryGetValue(type, out var versions))
            {
                versions = [];
                tree._types[type] = versions;
            }
            versions[version] = schema;
        }
        return problems.Count switch
        {
            0 => tree,
            1 => throw new UsageException(problems[0]),
            _ => throw new UsageException($"{problems.Count} problems in the schemas of {description}:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems)),
        };
    }
}

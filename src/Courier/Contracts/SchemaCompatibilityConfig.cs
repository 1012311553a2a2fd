using System.Text.Json;

namespace Courier;

/// <summary>
/// The compatibility mode of each job type: the file <c>compatibility.json</c> at the top of the schema directory
/// (next to the type directories). Every key is optional; comments and trailing commas are allowed:
/// <code>
/// {
///   "default": "FULL_TRANSITIVE",
///   "types": { "massMessage": "BACKWARD_TRANSITIVE" }
/// }
/// </code>
/// Without the file every type is <see cref="CompatibilityModes.Default"/> (<c>FULL_TRANSITIVE</c>).
/// </summary>
public sealed class SchemaCompatibilityConfig
{
    /// <summary>The file's name in the schema directory.</summary>
    public const string FileName = "compatibility.json";

    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>Every type <see cref="CompatibilityModes.Default"/>.</summary>
    public SchemaCompatibilityConfig()
        : this(CompatibilityModes.Default, new Dictionary<string, CompatibilityMode>(StringComparer.Ordinal))
    {
    }

    /// <summary>A default mode and modes for some types.</summary>
    public SchemaCompatibilityConfig(CompatibilityMode defaultMode, IReadOnlyDictionary<string, CompatibilityMode> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Default = defaultMode;
        Types = new Dictionary<string, CompatibilityMode>(types, StringComparer.Ordinal);
    }

    /// <summary>The mode of types the file does not name.</summary>
    public CompatibilityMode Default { get; }

    /// <summary>Modes by job type.</summary>
    public IReadOnlyDictionary<string, CompatibilityMode> Types { get; }

    /// <summary>The mode a job type is checked under.</summary>
    public CompatibilityMode ModeFor(string jobType) => Types.TryGetValue(jobType, out var mode) ? mode : Default;

    /// <summary>
    /// Reads the file's JSON. Throws <see cref="FormatException"/> whose message starts with
    /// <paramref name="source"/> and names the key: bad JSON, a duplicate or unknown key, a mode that is not one of
    /// <see cref="CompatibilityModes.Names"/>.
    /// </summary>
    public static SchemaCompatibilityConfig Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{source}: expected a JSON object with \"default\" and \"types\"");
            }
            var defaultMode = CompatibilityModes.Default;
            var types = new Dictionary<string, CompatibilityMode>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "default":
                        defaultMode = ReadMode(property.Value, source, "default");
                        break;
                    case "types":
                        if (property.Value.ValueKind != JsonValueKind.Object)
                        {
                            throw new FormatException($"{source}: types: expected an object of job type → mode");
                        }
                        foreach (var type in property.Value.EnumerateObject())
                        {
                            types[type.Name] = ReadMode(type.Value, source, "types." + type.Name);
                        }
                        break;
                    default:
                        throw new FormatException($"{source}: unknown key '{property.Name}' (expected \"default\" and \"types\")");
                }
            }
            return new SchemaCompatibilityConfig(defaultMode, types);
        }
    }

    /// <summary>
    /// Reads <see cref="FileName"/> in a schema directory; the defaults when there is no such file. Throws
    /// <see cref="FormatException"/> as <see cref="Parse"/> does, and <see cref="IOException"/> when it cannot be read.
    /// </summary>
    public static SchemaCompatibilityConfig Load(string schemaDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(schemaDirectory);
        var path = Path.Combine(schemaDirectory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : new SchemaCompatibilityConfig();
    }

    private static CompatibilityMode ReadMode(JsonElement value, string source, string key)
    {
        if (value.ValueKind == JsonValueKind.String && CompatibilityModes.TryParse(value.GetString(), out var mode))
        {
            return mode;
        }
        throw new FormatException($"{source}: {key}: {value.GetRawText()} is not a compatibility mode (one of {string.Join(", ", CompatibilityModes.Names)})");
    }
}

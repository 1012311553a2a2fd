using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Courier.Contracts.Compatibility;

namespace Courier;

/// <summary>
/// Compares versions of a job type's params schema (JSON Schema draft 2020-12 documents) and reports every way in
/// which a newer version breaks readers or writers of an older one under a <see cref="CompatibilityMode"/>. The
/// comparison is structural — no instance is validated — and errs on one side only: a pair it passes is compatible
/// (for the keywords it reasons about, listed in docs/contracts.md "Checking compatibility"); a change it cannot
/// judge is reported as <c>unsupported-change</c>, never passed. Pure and thread-safe.
/// </summary>
public static class SchemaCompatibilityChecker
{
    /// <summary>
    /// Compares one pair of versions in the directions <paramref name="mode"/> asks for (transitivity does not
    /// matter for a single pair). Empty when compatible or when the mode is <see cref="CompatibilityMode.None"/>.
    /// </summary>
    public static IReadOnlyList<SchemaCompatibilityViolation> Compare(string jobType, ParamsSchemaVersion oldVersion, JsonElement oldSchema,
        ParamsSchemaVersion newVersion, JsonElement newSchema, CompatibilityMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobType);
        var found = new List<SchemaCompatibilityViolation>();
        if (mode.ChecksBackward())
        {
            found.AddRange(SchemaComparer.Compare(jobType, oldVersion, oldSchema, newVersion, newSchema, mode, CompatibilityDirection.Backward));
        }
        if (mode.ChecksForward())
        {
            // A change the checker cannot judge is found in both directions with the same words: report it once.
            var seen = found.Where(v => v.Direction is null).Select(v => (v.Path, v.Rule, v.Message)).ToHashSet();
            found.AddRange(SchemaComparer.Compare(jobType, oldVersion, oldSchema, newVersion, newSchema, mode, CompatibilityDirection.Forward)
                .Where(v => v.Direction is not null || !seen.Contains((v.Path, v.Rule, v.Message))));
        }
        return found;
    }

    /// <summary>
    /// Checks a type's version history: each version against the previous one, or against every earlier one when
    /// the mode is transitive. Versions are ordered by semantic version.
    /// </summary>
    public static IReadOnlyList<SchemaCompatibilityViolation> CheckHistory(string jobType,
        IEnumerable<KeyValuePair<ParamsSchemaVersion, JsonElement>> versions, CompatibilityMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobType);
        var ordered = Ordered(versions, nameof(versions));
        return CheckPairs(jobType, ordered, mode, (_, _) => true);
    }

    /// <summary>
    /// Checks the current versions of a type against the deployed ones. A version in both whose content differs is
    /// <c>version-modified</c>, a deployed version that is gone is <c>version-removed</c> (published versions are
    /// immutable, whatever the mode). Then every version that is not deployed yet is checked as
    /// <see cref="CheckHistory"/> would, against the deployed content of the versions before it — and the deployed
    /// versions after it (a version inserted between two deployed ones) against it; pairs of deployed versions are
    /// not checked again.
    /// </summary>
    public static IReadOnlyList<SchemaCompatibilityViolation> CheckAgainst(string jobType,
        IEnumerable<KeyValuePair<ParamsSchemaVersion, JsonElement>> deployed, IEnumerable<KeyValuePair<ParamsSchemaVersion, JsonElement>> current, CompatibilityMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobType);
        var before = Ordered(deployed, nameof(deployed));
        var now = Ordered(current, nameof(current));
        var found = new List<SchemaCompatibilityViolation>();
        var nowByVersion = now.ToDictionary(v => v.Key, v => v.Value);
        foreach (var (version, schema) in before)
        {
            if (!nowByVersion.TryGetValue(version, out var currentSchema))
            {
                found.Add(new SchemaCompatibilityViolation(jobType, version, version, mode, null, "params", SchemaCompatibilityRules.VersionRemoved,
                    $"{version} is deployed but no longer in the current schemas: jobs written with it can no longer be checked; published versions stay"));
            }
            else if (!JsonValues.Equal(schema, currentSchema))
            {
                var at = FirstDifference(schema, currentSchema, "");
                found.Add(new SchemaCompatibilityViolation(jobType, version, version, mode, null, "params", SchemaCompatibilityRules.VersionModified,
                    $"{version} differs from the deployed {version} (first at schema location '{(at.Length == 0 ? "/" : at)}'): published versions are immutable, since jobs written with them are already in the log; add a new version instead"));
            }
        }
        var deployedVersions = before.Select(v => v.Key).ToHashSet();
        var merged = before.Concat(now.Where(v => !deployedVersions.Contains(v.Key))).OrderBy(v => v.Key).ToList();
        found.AddRange(CheckPairs(jobType, merged, mode, (older, newer) => !deployedVersions.Contains(older) || !deployedVersions.Contains(newer)));
        return found;
    }

    private static List<SchemaCompatibilityViolation> CheckPairs(string jobType, List<KeyValuePair<ParamsSchemaVersion, JsonElement>> ordered,
        CompatibilityMode mode, Func<ParamsSchemaVersion, ParamsSchemaVersion, bool> include)
    {
        var found = new List<SchemaCompatibilityViolation>();
        if (mode == CompatibilityMode.None)
        {
            return found;
        }
        for (var i = 1; i < ordered.Count; i++)
        {
            for (var j = mode.IsTransitive() ? 0 : i - 1; j < i; j++)
            {
                var (older, oldSchema) = ordered[j];
                var (newer, newSchema) = ordered[i];
                if (include(older, newer))
                {
                    found.AddRange(Compare(jobType, older, oldSchema, newer, newSchema, mode));
                }
            }
        }
        return found;
    }

    private static List<KeyValuePair<ParamsSchemaVersion, JsonElement>> Ordered(IEnumerable<KeyValuePair<ParamsSchemaVersion, JsonElement>> versions, string name)
    {
        ArgumentNullException.ThrowIfNull(versions, name);
        var list = versions.OrderBy(v => v.Key).ToList();
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Key == list[i - 1].Key)
            {
                throw new ArgumentException($"version {list[i].Key} appears twice", name);
            }
        }
        return list;
    }

    /// <summary>The first place two schema documents differ, as a JSON pointer into them (<c>/properties/title/maxLength</c>).</summary>
    private static string FirstDifference(JsonElement a, JsonElement b, string pointer)
    {
        if (a.ValueKind == JsonValueKind.Object && b.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in a.EnumerateObject())
            {
                var child = pointer + "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                if (!b.TryGetProperty(property.Name, out var other))
                {
                    return child;
                }
                if (!JsonValues.Equal(property.Value, other))
                {
                    return FirstDifference(property.Value, other, child);
                }
            }
            foreach (var property in b.EnumerateObject())
            {
                if (!a.TryGetProperty(property.Name, out _))
                {
                    return pointer + "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                }
            }
        }
        return pointer;
    }
}

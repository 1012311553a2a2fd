using System.Text.Json;
using Courier.Jobs.Codec;
using Json.Schema;

namespace Courier.Contracts;

/// <summary>
/// Maps JsonSchema.Net's evaluation results (list output) to <see cref="ParamsViolation"/>s: a field path from
/// <c>params</c> and the keyword that failed. A missing required field is named by its own path
/// (<c>params.title</c>), not by its parent's, and a field a closed schema refuses is named as itself with rule
/// <c>additionalProperties</c>.
/// </summary>
internal static class SchemaViolations
{
    /// <summary>At most this many violations are reported for one value: enough to fix it, not enough to flood a log.</summary>
    public const int MaxViolations = 20;

    /// <summary>List output (flat, one node per failing location); formats are asserted, not only annotated.</summary>
    public static readonly EvaluationOptions EvaluationOptions = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    // Keywords whose subschema is `false` when they refuse a value: the empty-keyword error of a false schema is
    // reported as the keyword that holds it.
    private static readonly HashSet<string> FalseSchemaKeywords = new(StringComparer.Ordinal)
    {
        "additionalProperties", "unevaluatedProperties", "items", "prefixItems", "unevaluatedItems", "propertyNames", "not", "contains",
    };

    public static IReadOnlyList<ParamsViolation> From(EvaluationResults results, JsonElement schema, JsonElement instance)
    {
        var violations = new List<ParamsViolation>();
        var seen = new HashSet<(string, string)>();
        foreach (var node in Flatten(results))
        {
            if (node.Errors is not { Count: > 0 } errors)
            {
                continue;
            }
            var instanceSegments = Segments(node.InstanceLocation.ToString());
            foreach (var (keyword, message) in errors)
            {
                foreach (var violation in Map(node, keyword, message, instanceSegments, schema, instance))
                {
                    if (seen.Add((violation.Path, violation.Rule)))
                    {
                        violations.Add(violation);
                    }
                    if (violations.Count >= MaxViolations)
                    {
                        return violations;
                    }
                }
            }
        }
        if (violations.Count == 0)
        {
            violations.Add(new ParamsViolation("params", "schema", "the params do not match the schema"));
        }
        return violations;
    }

    /// <summary>Violations as one line: <c>path: rule: message; …</c>.</summary>
    public static string Describe(IReadOnlyList<ParamsViolation> violations) => string.Join("; ", violations);

    private static List<EvaluationResults> Flatten(EvaluationResults root)
    {
        // List output is already flat; walking the details also reads hierarchical output the same way.
        var stack = new Stack<EvaluationResults>();
        stack.Push(root);
        var ordered = new List<EvaluationResults>();
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            ordered.Add(node);
            if (node.Details is { } details)
            {
                for (var i = details.Count - 1; i >= 0; i--)
                {
                    stack.Push(details[i]);
                }
            }
        }
        return ordered;
    }

    private static IEnumerable<ParamsViolation> Map(EvaluationResults node, string keyword, string message,
        List<string> instanceSegments, JsonElement schema, JsonElement instance)
    {
        var path = InstancePath(instanceSegments, instance);
        if (keyword == "required" && MissingRequired(node, instanceSegments, schema, instance) is { Count: > 0 } missing)
        {
            foreach (var name in missing)
            {
                yield return new ParamsViolation(JsonPaths.Property(path, name), "required", "missing (the schema requires it)");
            }
            yield break;
        }
        if (keyword.Length == 0)
        {
            // A `false` subschema refused the value: name the keyword that holds it.
            var evaluation = Segments(node.EvaluationPath.ToString());
            var rule = evaluation.Count > 0 && FalseSchemaKeywords.Contains(evaluation[^1]) ? evaluation[^1]
                : evaluation.Count > 1 && evaluation[^2] == "properties" ? "properties"
                : "false";
            var text = rule is "additionalProperties" or "unevaluatedProperties"
                ? $"not allowed: the schema has no such field and its content model is closed ({rule}: false)"
                : $"not allowed by the schema ({rule})";
            yield return new ParamsViolation(path, rule, text);
            yield break;
        }
        yield return new ParamsViolation(path, keyword, message);
    }

    /// <summary>Names in the failing schema's <c>required</c> that the instance object lacks, or null when it cannot tell.</summary>
    private static List<string>? MissingRequired(EvaluationResults node, List<string> instanceSegments, JsonElement schema, JsonElement instance)
    {
        var location = node.SchemaLocation;
        if (location is null)
        {
            return null;
        }
        var subschema = Navigate(schema, Segments(Uri.UnescapeDataString(location.Fragment.TrimStart('#'))));
        if (subschema is not { ValueKind: JsonValueKind.Object } s
            || !s.TryGetProperty("required", out var required) || required.ValueKind != JsonValueKind.Array
            || Navigate(instance, instanceSegments) is not { ValueKind: JsonValueKind.Object } target)
        {
            return null;
        }
        var missing = new List<string>();
        foreach (var name in required.EnumerateArray())
        {
            if (name.ValueKind == JsonValueKind.String && !target.TryGetProperty(name.GetString()!, out _))
            {
                missing.Add(name.GetString()!);
            }
        }
        return missing;
    }

    /// <summary><c>params.a.b[2]</c> for the pointer <c>/a/b/2</c>: a number is an index only where the value is an array.</summary>
    private static string InstancePath(List<string> segments, JsonElement instance)
    {
        var path = "params";
        JsonElement? current = instance;
        foreach (var segment in segments)
        {
            if (current is { ValueKind: JsonValueKind.Array } array && int.TryParse(segment, out var index))
            {
                path = JsonPaths.Index(path, index);
                current = index >= 0 && index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                path = JsonPaths.Property(path, segment);
                current = current is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(segment, out var child) ? child : null;
            }
        }
        return path;
    }

    private static JsonElement? Navigate(JsonElement root, List<string> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }
        return current;
    }

    /// <summary>The unescaped segments of a JSON Pointer (RFC 6901: <c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>).</summary>
    private static List<string> Segments(string pointer)
    {
        var segments = new List<string>();
        if (pointer.Length == 0)
        {
            return segments;
        }
        foreach (var raw in (pointer[0] == '/' ? pointer[1..] : pointer).Split('/'))
        {
            segments.Add(raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }
        return segments;
    }
}

using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>The rules for values a writer may produce: listed values (const, enum), strings, numbers, and the min/max keywords of every type.</summary>
internal static class ScalarComparer
{
    private static readonly JsonElement[] BooleanValues = [JsonElement.Parse("true"), JsonElement.Parse("false")];
    private static readonly JsonElement NullValue = JsonElement.Parse("null");

    public static void CheckValues(CompatibilityFindings findings, SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, SchemaTypes writerTypes, string path)
    {
        if (r.Values is not { } allowed)
        {
            return;
        }
        // Listed values of a type the writer's own schema refuses are never written.
        IEnumerable<JsonElement>? written = w.Values?.Where(v => (SchemaTypeNames.Of(v) & w.Types) != 0);
        if (written is null && (writerTypes & ~(SchemaTypes.Null | SchemaTypes.Boolean)) == SchemaTypes.None)
        {
            // Only null and booleans: few enough values to list.
            written = ((writerTypes & SchemaTypes.Null) != 0 ? [NullValue] : Array.Empty<JsonElement>())
                .Concat((writerTypes & SchemaTypes.Boolean) != 0 ? BooleanValues : []);
        }
        // Values of a type the reader refuses anyway are already reported as a type change.
        var refused = written?.Where(v => (SchemaTypeNames.Of(v) & r.Types) != 0 && !allowed.Any(a => JsonValues.Equal(a, v))).ToList();
        if (refused is { Count: 0 })
        {
            return;
        }
        var rule = w.HasConst || r.HasConst
            ? SchemaCompatibilityRules.ConstChanged
            : findings.Backward ? SchemaCompatibilityRules.EnumNarrowed : SchemaCompatibilityRules.EnumWidened;
        var what = refused is null ? "other values" : JsonValues.ShowList(refused);
        findings.Report(path, rule, $"{SchemaText.DescribeValues(oldNode)} → {SchemaText.DescribeValues(newNode)}: {findings.Tail(what)}");
    }

    public static void CheckString(CompatibilityFindings findings, SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, string path)
    {
        CheckMinimum(findings, path, "minLength", w.MinLength, r.MinLength, oldNode.MinLength, newNode.MinLength, n => $"strings shorter than {n} characters");
        CheckMaximum(findings, path, "maxLength", w.MaxLength, r.MaxLength, oldNode.MaxLength, newNode.MaxLength, n => $"strings longer than {n} characters");

        if (r.Pattern is { } pattern && !string.Equals(w.Pattern, pattern, StringComparison.Ordinal))
        {
            if (w.Pattern is null)
            {
                findings.Report(path, findings.Backward ? SchemaCompatibilityRules.PatternAdded : SchemaCompatibilityRules.PatternRemoved, findings.Backward
                    ? $"{findings.New} adds pattern {SchemaText.Quote(pattern)}: {findings.Tail("strings that do not match it")}"
                    : $"{findings.New} drops pattern {SchemaText.Quote(pattern)} of {findings.Old}: {findings.Tail("strings that do not match it")}");
            }
            else
            {
                // Whether one regular expression accepts everything another does is not decided here.
                findings.Report(path, SchemaCompatibilityRules.PatternChanged,
                    $"pattern {SchemaText.Quote(oldNode.Pattern!)} → {SchemaText.Quote(newNode.Pattern!)}: {findings.Tail($"strings that do not match {SchemaText.Quote(pattern)}")} (the checker does not decide whether one pattern accepts everything the other does)");
            }
        }

        if (r.Format is { } format && !string.Equals(w.Format, format, StringComparison.Ordinal))
        {
            if (w.Format is null)
            {
                findings.Report(path, findings.Backward ? SchemaCompatibilityRules.FormatAdded : SchemaCompatibilityRules.FormatRemoved, findings.Backward
                    ? $"{findings.New} adds format {SchemaText.Quote(format)}: {findings.Tail($"strings that are not a valid {format}")}"
                    : $"{findings.New} drops format {SchemaText.Quote(format)} of {findings.Old}: {findings.Tail($"strings that are not a valid {format}")}");
            }
            else
            {
                findings.Report(path, SchemaCompatibilityRules.FormatChanged,
                    $"format {SchemaText.Quote(oldNode.Format!)} → {SchemaText.Quote(newNode.Format!)}: {findings.Tail($"strings that are not a valid {format}")}");
            }
        }
    }

    public static void CheckNumber(CompatibilityFindings findings, SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, bool integersOnly, string path)
    {
        var numbers = integersOnly ? "integers" : "numbers";
        if (SchemaBound.Lower(r, integersOnly) is { } lower
            && !(SchemaBound.Lower(w, integersOnly) is { } writerLower
                 && (writerLower.Value > lower.Value || (writerLower.Value == lower.Value && (writerLower.Exclusive || !lower.Exclusive)))))
        {
            var number = JsonValues.Number(lower.Value);
            findings.Report(path, findings.Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"{SchemaText.LowerText(oldNode)} → {SchemaText.LowerText(newNode)}: {findings.Tail(lower.Exclusive ? $"{numbers} at or below {number}" : $"{numbers} below {number}")}");
        }
        if (SchemaBound.Upper(r, integersOnly) is { } upper
            && !(SchemaBound.Upper(w, integersOnly) is { } writerUpper
                 && (writerUpper.Value < upper.Value || (writerUpper.Value == upper.Value && (writerUpper.Exclusive || !upper.Exclusive)))))
        {
            var number = JsonValues.Number(upper.Value);
            findings.Report(path, findings.Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"{SchemaText.UpperText(oldNode)} → {SchemaText.UpperText(newNode)}: {findings.Tail(upper.Exclusive ? $"{numbers} at or above {number}" : $"{numbers} above {number}")}");
        }
        if (r.MultipleOf is { } step
            && !(w.MultipleOf is { } writerStep && writerStep % step == 0)
            && !(integersOnly && 1m % step == 0))
        {
            findings.Report(path, findings.Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"multipleOf {SchemaText.Show(oldNode.MultipleOf)} → {SchemaText.Show(newNode.MultipleOf)}: {findings.Tail($"numbers that are not multiples of {JsonValues.Number(step)}")}");
        }
    }

    public static void CheckMinimum(CompatibilityFindings findings, string path, string keyword, decimal? writer, decimal? reader, decimal? oldValue, decimal? newValue, Func<string, string> refused)
    {
        if (reader is not { } bound || bound <= (writer ?? 0))
        {
            return;
        }
        findings.Report(path, findings.Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
            $"{keyword} {SchemaText.Show(oldValue)} → {SchemaText.Show(newValue)}: {findings.Tail(refused(JsonValues.Number(bound)))}");
    }

    public static void CheckMaximum(CompatibilityFindings findings, string path, string keyword, decimal? writer, decimal? reader, decimal? oldValue, decimal? newValue, Func<string, string> refused)
    {
        if (reader is not { } bound || (writer is { } limit && limit <= bound))
        {
            return;
        }
        findings.Report(path, findings.Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
            $"{keyword} {SchemaText.Show(oldValue)} → {SchemaText.Show(newValue)}: {findings.Tail(refused(JsonValues.Number(bound)))}");
    }
}

using Courier.Jobs.Codec;

namespace Courier.Contracts.Compatibility;

/// <summary>
/// The rules for objects: each property either version declares or requires, then what additionalProperties lets
/// through. Property schemas are compared through <see cref="SchemaComparer.Check"/>.
/// </summary>
internal static class ObjectComparer
{
    public static void Check(SchemaComparer comparer, SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, string path)
    {
        var findings = comparer.Findings;
        ScalarComparer.CheckMinimum(findings, path, "minProperties", w.MinProperties, r.MinProperties, oldNode.MinProperties, newNode.MinProperties, n => $"objects with fewer than {n} properties");
        ScalarComparer.CheckMaximum(findings, path, "maxProperties", w.MaxProperties, r.MaxProperties, oldNode.MaxProperties, newNode.MaxProperties, n => $"objects with more than {n} properties");

        if (w.Has("patternProperties") || r.Has("patternProperties"))
        {
            // A name that matches a pattern is governed by the pattern's schema as well as, or instead of,
            // properties and additionalProperties: reasoning per name would need regular-expression inclusion.
            if (!comparer.Equality.Keyword("properties", w.Slot, r.Slot)
                || !comparer.Equality.Keyword("required", w.Slot, r.Slot)
                || !comparer.Equality.Keyword("additionalProperties", w.Slot, r.Slot))
            {
                findings.Unsupported(path, "patternProperties", "properties, required or additionalProperties changed next to 'patternProperties'");
            }
            return;
        }

        var names = oldNode.Properties.Select(p => p.Key)
            .Concat(newNode.Properties.Select(p => p.Key))
            .Concat(oldNode.Required)
            .Concat(newNode.Required)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            var childPath = JsonPaths.Property(path, name);
            var writerDeclared = w.Property(name);
            var readerDeclared = r.Property(name);
            var presenceReported = false;
            if (r.Requires(name) && !w.Requires(name))
            {
                ReportRequired(findings, name, childPath, oldNode, newNode);
                presenceReported = true;
            }

            var writerSchema = writerDeclared ?? w.AdditionalProperties ?? SchemaSlot.True;
            if (comparer.Writer.IsFalse(writerSchema) || (writerDeclared is null && readerDeclared is null))
            {
                continue; // never written; or governed by additionalProperties on both sides, compared below
            }
            if (writerDeclared is { } ws && readerDeclared is { } rs)
            {
                comparer.Check(ws, rs, childPath);
            }
            else if (readerDeclared is null)
            {
                // Written under this name, and the reader only has additionalProperties for it.
                if (r.AdditionalProperties is not { } readerOther || comparer.Reader.AcceptsEverything(readerOther))
                {
                    continue;
                }
                if (comparer.Reader.IsFalse(readerOther))
                {
                    ReportRefusedByClosedReader(findings, name, childPath, oldNode, newNode);
                }
                else
                {
                    comparer.Check(writerSchema, readerOther, childPath);
                }
            }
            else
            {
                // Declared by the reader only: the writer may carry the name with whatever its additionalProperties allow.
                var writerOther = w.AdditionalProperties ?? SchemaSlot.True;
                var found = findings.Speculate(() => comparer.Check(writerOther, readerDeclared.Value, childPath));
                if (found.Count == 0)
                {
                    continue;
                }
                if (!comparer.Writer.AcceptsEverything(writerOther))
                {
                    findings.Commit(found);
                }
                else if (!presenceReported)
                {
                    // The writer's model is open: any value under this name, which the reader constrains.
                    ReportOpenWriter(findings, name, childPath);
                }
            }
        }

        var writerRest = w.AdditionalProperties ?? SchemaSlot.True;
        var readerRest = r.AdditionalProperties ?? SchemaSlot.True;
        if (comparer.Writer.IsFalse(writerRest) || comparer.Reader.AcceptsEverything(readerRest))
        {
            return;
        }
        if (comparer.Reader.IsFalse(readerRest))
        {
            findings.Report(path, findings.Backward ? SchemaCompatibilityRules.AdditionalPropertiesClosed : SchemaCompatibilityRules.AdditionalPropertiesOpened, findings.Backward
                ? $"{findings.New} closes the content model (additionalProperties: false) that {findings.Old} left open: jobs written with {findings.Old} may carry properties that {findings.New} does not define, which readers on {findings.New} refuse"
                : $"{findings.New} opens the content model that {findings.Old} closed (additionalProperties: false): jobs written with {findings.New} may carry properties that {findings.Old} does not define, which readers still on {findings.Old} refuse");
            return;
        }
        comparer.Check(writerRest, readerRest, path + ".*");
    }

    private static void ReportRequired(CompatibilityFindings findings, string name, string path, SchemaNode oldNode, SchemaNode newNode)
    {
        if (findings.Backward)
        {
            if (oldNode.Declares(name))
            {
                findings.Report(path, SchemaCompatibilityRules.RequiredAdded,
                    $"'{name}' becomes required in {findings.New}: jobs written with {findings.Old} may omit it, and readers on {findings.New} refuse those that do");
            }
            else
            {
                findings.Report(path, SchemaCompatibilityRules.PropertyAddedRequired, oldNode.IsClosed
                    ? $"{findings.New} requires '{name}', which {findings.Old} does not define: jobs written with {findings.Old} never carry it, so readers on {findings.New} refuse every one of them"
                    : $"{findings.New} requires '{name}', which {findings.Old} does not define: jobs written with {findings.Old} need not carry it, and readers on {findings.New} refuse those that do not");
            }
        }
        else if (newNode.Declares(name))
        {
            findings.Report(path, SchemaCompatibilityRules.RequiredRemoved,
                $"'{name}' is no longer required in {findings.New}: jobs written with {findings.New} may omit it, and readers still on {findings.Old} refuse those that do");
        }
        else
        {
            findings.Report(path, SchemaCompatibilityRules.PropertyRemoved, newNode.IsClosed
                ? $"{findings.New} removes '{name}', which {findings.Old} requires: jobs written with {findings.New} never carry it, so readers still on {findings.Old} refuse every one of them"
                : $"{findings.New} removes '{name}', which {findings.Old} requires: jobs written with {findings.New} need not carry it, and readers still on {findings.Old} refuse those that do not");
        }
    }

    private static void ReportRefusedByClosedReader(CompatibilityFindings findings, string name, string path, SchemaNode oldNode, SchemaNode newNode)
    {
        if (findings.Backward)
        {
            findings.Report(path, SchemaCompatibilityRules.PropertyRemoved,
                $"{findings.New} removes '{name}' and its closed model (additionalProperties: false) refuses properties it does not define: jobs written with {findings.Old} that carry '{name}' are refused by readers on {findings.New}"
                + (oldNode.Requires(name) ? $" (every one of them: {findings.Old} requires it)" : ""));
        }
        else if (newNode.Requires(name))
        {
            findings.Report(path, SchemaCompatibilityRules.PropertyAddedRequired,
                $"{findings.New} adds '{name}' as required, and {findings.Old}'s closed model (additionalProperties: false) does not allow it: every job written with {findings.New} carries it, so readers still on {findings.Old} refuse every one of them");
        }
        else
        {
            findings.Report(path, SchemaCompatibilityRules.PropertyAdded,
                $"{findings.New} adds optional '{name}', which {findings.Old}'s closed model (additionalProperties: false) does not allow: jobs written with {findings.New} that set it are refused by readers still on {findings.Old}");
        }
    }

    private static void ReportOpenWriter(CompatibilityFindings findings, string name, string path)
    {
        if (findings.Backward)
        {
            findings.Report(path, SchemaCompatibilityRules.PropertyAdded,
                $"{findings.New} adds '{name}', but {findings.Old} has an open model (no additionalProperties: false): jobs written with {findings.Old} may carry '{name}' with any value, which readers on {findings.New} refuse unless it fits the new definition");
        }
        else
        {
            findings.Report(path, SchemaCompatibilityRules.PropertyRemoved,
                $"{findings.New} removes '{name}' and has an open model (no additionalProperties: false): jobs written with {findings.New} may carry '{name}' with any value, which readers still on {findings.Old} refuse unless it fits {findings.Old}'s definition");
        }
    }
}

using System.Text.Json;
using Courier.Jobs.Codec;

namespace Courier.Contracts.Compatibility;

/// <summary>
/// Compares two versions of a params schema in one direction: can the writer's schema produce params that the
/// reader's schema refuses? Backward: the writer is the older version, the reader the newer one; forward: the other
/// way round. Each finding is named after the change from the older version to the newer one
/// (<see cref="SchemaCompatibilityRules"/>).
/// </summary>
/// <remarks>
/// The comparison is structural, over the keywords the checker reasons about (docs/contracts.md lists them), and
/// errs on one side only: when it passes a pair, every instance the writer accepts is one the reader accepts; where
/// it cannot tell it reports a violation (a changed keyword it does not reason about is <c>unsupported-change</c>).
/// Recursive schemas (through <c>$ref</c>) are compared coinductively: a pair already under comparison is assumed to
/// hold.
/// </remarks>
internal sealed class SchemaComparer
{
    private static readonly JsonElement[] BooleanValues = [JsonElement.Parse("true"), JsonElement.Parse("false")];
    private static readonly JsonElement NullValue = JsonElement.Parse("null");

    private readonly SchemaDocument _writer;
    private readonly SchemaDocument _reader;
    private readonly CompatibilityDirection _direction;
    private readonly string _jobType;
    private readonly ParamsSchemaVersion _oldVersion;
    private readonly ParamsSchemaVersion _newVersion;
    private readonly CompatibilityMode _mode;
    private readonly SchemaEquality _equality;
    private List<SchemaCompatibilityViolation> _violations = [];
    private HashSet<(string, string, string)> _reported = [];
    private readonly HashSet<(string, string)> _active = [];

    private SchemaComparer(string jobType, ParamsSchemaVersion oldVersion, JsonElement oldSchema, ParamsSchemaVersion newVersion, JsonElement newSchema,
        CompatibilityMode mode, CompatibilityDirection direction)
    {
        _jobType = jobType;
        _oldVersion = oldVersion;
        _newVersion = newVersion;
        _mode = mode;
        _direction = direction;
        var older = new SchemaDocument(oldSchema, oldVersion.ToString());
        var newer = new SchemaDocument(newSchema, newVersion.ToString());
        _writer = Backward ? older : newer;
        _reader = Backward ? newer : older;
        _equality = new SchemaEquality(_writer, _reader);
    }

    private bool Backward => _direction == CompatibilityDirection.Backward;

    private string Old => _oldVersion.ToString();

    private string New => _newVersion.ToString();

    public static List<SchemaCompatibilityViolation> Compare(string jobType, ParamsSchemaVersion oldVersion, JsonElement oldSchema,
        ParamsSchemaVersion newVersion, JsonElement newSchema, CompatibilityMode mode, CompatibilityDirection direction)
    {
        var comparer = new SchemaComparer(jobType, oldVersion, oldSchema, newVersion, newSchema, mode, direction);
        comparer.Check(comparer._writer.Root, comparer._reader.Root, "params");
        return comparer._violations;
    }

    private void Check(SchemaSlot writer, SchemaSlot reader, string path)
    {
        writer = _writer.Deref(writer);
        reader = _reader.Deref(reader);
        if (!_active.Add((writer.Pointer, reader.Pointer)))
        {
            return;
        }
        try
        {
            CheckNode(SchemaNode.Read(writer), SchemaNode.Read(reader), path);
        }
        finally
        {
            _active.Remove((writer.Pointer, reader.Pointer));
        }
    }

    private void CheckNode(SchemaNode w, SchemaNode r, string path)
    {
        if (r.AcceptsEverything || w.IsFalse || w.EffectiveTypes == SchemaTypes.None)
        {
            return; // the reader takes anything, or the writer can write nothing here (e.g. const 3 with type string)
        }
        var oldNode = Backward ? w : r;
        var newNode = Backward ? r : w;

        if (w.Reference is not null || r.Reference is not null)
        {
            CheckReferences(w, r, path);
            return;
        }
        foreach (var keyword in new[] { "unevaluatedProperties", "unevaluatedItems" })
        {
            if (Has(w, keyword) || Has(r, keyword))
            {
                // What is "unevaluated" depends on every sibling and subschema: only "unchanged" can be judged.
                if (!_equality.Schemas(w.Slot, r.Slot))
                {
                    Unsupported(path, keyword, $"the schema next to '{keyword}' changed");
                }
                return;
            }
        }
        foreach (var keyword in w.Opaque.Keys.Union(r.Opaque.Keys, StringComparer.Ordinal))
        {
            var same = w.Opaque.ContainsKey(keyword) && r.Opaque.ContainsKey(keyword)
                && (keyword == "(schema)" ? JsonValues.Equal(w.Slot.Element, r.Slot.Element) : _equality.Keyword(keyword, w.Slot, r.Slot));
            if (!same)
            {
                UnsupportedKeyword(path, keyword, oldNode, newNode);
            }
        }

        var writerTypes = w.EffectiveTypes;
        var missing = writerTypes & ~r.Types;
        if (missing != SchemaTypes.None)
        {
            var rule = Backward
                ? ((newNode.Types & ~oldNode.Types) == SchemaTypes.None ? SchemaCompatibilityRules.TypeNarrowed : SchemaCompatibilityRules.TypeChanged)
                : ((oldNode.Types & ~newNode.Types) == SchemaTypes.None ? SchemaCompatibilityRules.TypeWidened : SchemaCompatibilityRules.TypeChanged);
            Report(path, rule, $"type {DeclaredTypes(oldNode)} → {DeclaredTypes(newNode)}: {Tail(SchemaTypeNames.Values(missing))}");
        }
        var common = writerTypes & r.Types;
        CheckValues(w, r, oldNode, newNode, writerTypes, path);
        if ((common & SchemaTypes.String) != 0)
        {
            CheckString(w, r, oldNode, newNode, path);
        }
        if ((common & SchemaTypes.Number) != 0)
        {
            CheckNumber(w, r, oldNode, newNode, (common & SchemaTypes.NonInteger) == 0, path);
        }
        if ((common & SchemaTypes.Object) != 0)
        {
            CheckObject(w, r, oldNode, newNode, path);
        }
        if ((common & SchemaTypes.Array) != 0)
        {
            CheckArray(w, r, oldNode, newNode, path);
        }
    }

    /// <summary>
    /// A <c>$ref</c> next to assertions is the conjunction of its target and the rest. A reader's conjunction is
    /// checked part by part (the writer must fit both); for a writer's, fitting the reader with either part is
    /// enough, since the writer writes only what fits both. A reference that does not resolve points outside the
    /// document: only "unchanged" can be judged.
    /// </summary>
    private void CheckReferences(SchemaNode w, SchemaNode r, string path)
    {
        var writerParts = _writer.Conjuncts(w.Slot);
        var readerParts = _reader.Conjuncts(r.Slot);
        if (writerParts is null || readerParts is null)
        {
            if (!_equality.Schemas(w.Slot, r.Slot))
            {
                var (node, version) = writerParts is null ? (w, Backward ? Old : New) : (r, Backward ? New : Old);
                Unsupported(path, "$ref", $"'$ref' ({node.Reference}) in {version} does not resolve within the document");
            }
            return;
        }
        for (var i = 0; i < readerParts.Count; i++)
        {
            var readerPart = readerParts[i];
            if (writerParts.Count == 1)
            {
                Check(writerParts[0], readerPart, path);
                continue;
            }
            var attempts = writerParts.Select(writerPart => Speculate(() => Check(writerPart, readerPart, path))).ToList();
            if (attempts.Any(found => found.Count == 0))
            {
                continue;
            }
            // Report what the matching part (target with target, the rest with the rest) says, or the shorter.
            Commit(readerParts.Count == writerParts.Count ? attempts[i] : attempts.MinBy(found => found.Count)!);
        }
    }

    private List<SchemaCompatibilityViolation> Speculate(Action check)
    {
        var (violations, reported) = (_violations, _reported);
        _violations = [];
        _reported = [];
        try
        {
            check();
            return _violations;
        }
        finally
        {
            (_violations, _reported) = (violations, reported);
        }
    }

    private void Commit(IEnumerable<SchemaCompatibilityViolation> found)
    {
        foreach (var violation in found)
        {
            if (_reported.Add((violation.Path, violation.Rule, violation.Message)))
            {
                _violations.Add(violation);
            }
        }
    }

    private void CheckValues(SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, SchemaTypes writerTypes, string path)
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
            : Backward ? SchemaCompatibilityRules.EnumNarrowed : SchemaCompatibilityRules.EnumWidened;
        var what = refused is null ? "other values" : JsonValues.ShowList(refused);
        Report(path, rule, $"{DescribeValues(oldNode)} → {DescribeValues(newNode)}: {Tail(what)}");
    }

    private void CheckString(SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, string path)
    {
        CheckMinimum(path, "minLength", w.MinLength, r.MinLength, oldNode.MinLength, newNode.MinLength, n => $"strings shorter than {n} characters");
        CheckMaximum(path, "maxLength", w.MaxLength, r.MaxLength, oldNode.MaxLength, newNode.MaxLength, n => $"strings longer than {n} characters");

        if (r.Pattern is { } pattern && !string.Equals(w.Pattern, pattern, StringComparison.Ordinal))
        {
            if (w.Pattern is null)
            {
                Report(path, Backward ? SchemaCompatibilityRules.PatternAdded : SchemaCompatibilityRules.PatternRemoved, Backward
                    ? $"{New} adds pattern {Quote(pattern)}: {Tail("strings that do not match it")}"
                    : $"{New} drops pattern {Quote(pattern)} of {Old}: {Tail("strings that do not match it")}");
            }
            else
            {
                // Whether one regular expression accepts everything another does is not decided here.
                Report(path, SchemaCompatibilityRules.PatternChanged,
                    $"pattern {Quote(oldNode.Pattern!)} → {Quote(newNode.Pattern!)}: {Tail($"strings that do not match {Quote(pattern)}")} (the checker does not decide whether one pattern accepts everything the other does)");
            }
        }

        if (r.Format is { } format && !string.Equals(w.Format, format, StringComparison.Ordinal))
        {
            if (w.Format is null)
            {
                Report(path, Backward ? SchemaCompatibilityRules.FormatAdded : SchemaCompatibilityRules.FormatRemoved, Backward
                    ? $"{New} adds format {Quote(format)}: {Tail($"strings that are not a valid {format}")}"
                    : $"{New} drops format {Quote(format)} of {Old}: {Tail($"strings that are not a valid {format}")}");
            }
            else
            {
                Report(path, SchemaCompatibilityRules.FormatChanged,
                    $"format {Quote(oldNode.Format!)} → {Quote(newNode.Format!)}: {Tail($"strings that are not a valid {format}")}");
            }
        }
    }

    private void CheckNumber(SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, bool integersOnly, string path)
    {
        var numbers = integersOnly ? "integers" : "numbers";
        if (LowerBound(r, integersOnly) is { } lower
            && !(LowerBound(w, integersOnly) is { } writerLower
                 && (writerLower.Value > lower.Value || (writerLower.Value == lower.Value && (writerLower.Exclusive || !lower.Exclusive)))))
        {
            var number = JsonValues.Number(lower.Value);
            Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"{LowerText(oldNode)} → {LowerText(newNode)}: {Tail(lower.Exclusive ? $"{numbers} at or below {number}" : $"{numbers} below {number}")}");
        }
        if (UpperBound(r, integersOnly) is { } upper
            && !(UpperBound(w, integersOnly) is { } writerUpper
                 && (writerUpper.Value < upper.Value || (writerUpper.Value == upper.Value && (writerUpper.Exclusive || !upper.Exclusive)))))
        {
            var number = JsonValues.Number(upper.Value);
            Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"{UpperText(oldNode)} → {UpperText(newNode)}: {Tail(upper.Exclusive ? $"{numbers} at or above {number}" : $"{numbers} above {number}")}");
        }
        if (r.MultipleOf is { } step
            && !(w.MultipleOf is { } writerStep && writerStep % step == 0)
            && !(integersOnly && 1m % step == 0))
        {
            Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"multipleOf {Show(oldNode.MultipleOf)} → {Show(newNode.MultipleOf)}: {Tail($"numbers that are not multiples of {JsonValues.Number(step)}")}");
        }
    }

    private void CheckObject(SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, string path)
    {
        CheckMinimum(path, "minProperties", w.MinProperties, r.MinProperties, oldNode.MinProperties, newNode.MinProperties, n => $"objects with fewer than {n} properties");
        CheckMaximum(path, "maxProperties", w.MaxProperties, r.MaxProperties, oldNode.MaxProperties, newNode.MaxProperties, n => $"objects with more than {n} properties");

        if (Has(w, "patternProperties") || Has(r, "patternProperties"))
        {
            // A name that matches a pattern is governed by the pattern's schema as well as, or instead of,
            // properties and additionalProperties: reasoning per name would need regular-expression inclusion.
            if (!_equality.Keyword("properties", w.Slot, r.Slot)
                || !_equality.Keyword("required", w.Slot, r.Slot)
                || !_equality.Keyword("additionalProperties", w.Slot, r.Slot))
            {
                Unsupported(path, "patternProperties", "properties, required or additionalProperties changed next to 'patternProperties'");
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
                ReportRequired(name, childPath, oldNode, newNode);
                presenceReported = true;
            }

            var writerSchema = writerDeclared ?? w.AdditionalProperties ?? SchemaSlot.True;
            if (IsFalse(_writer, writerSchema) || (writerDeclared is null && readerDeclared is null))
            {
                continue; // never written; or governed by additionalProperties on both sides, compared below
            }
            if (writerDeclared is { } ws && readerDeclared is { } rs)
            {
                Check(ws, rs, childPath);
            }
            else if (readerDeclared is null)
            {
                // Written under this name, and the reader only has additionalProperties for it.
                if (r.AdditionalProperties is not { } readerOther || AcceptsEverything(_reader, readerOther))
                {
                    continue;
                }
                if (IsFalse(_reader, readerOther))
                {
                    ReportRefusedByClosedReader(name, childPath, oldNode, newNode);
                }
                else
                {
                    Check(writerSchema, readerOther, childPath);
                }
            }
            else
            {
                // Declared by the reader only: the writer may carry the name with whatever its additionalProperties allow.
                var writerOther = w.AdditionalProperties ?? SchemaSlot.True;
                var found = Speculate(() => Check(writerOther, readerDeclared.Value, childPath));
                if (found.Count == 0)
                {
                    continue;
                }
                if (!AcceptsEverything(_writer, writerOther))
                {
                    Commit(found);
                }
                else if (!presenceReported)
                {
                    // The writer's model is open: any value under this name, which the reader constrains.
                    ReportOpenWriter(name, childPath);
                }
            }
        }

        var writerRest = w.AdditionalProperties ?? SchemaSlot.True;
        var readerRest = r.AdditionalProperties ?? SchemaSlot.True;
        if (IsFalse(_writer, writerRest) || AcceptsEverything(_reader, readerRest))
        {
            return;
        }
        if (IsFalse(_reader, readerRest))
        {
            Report(path, Backward ? SchemaCompatibilityRules.AdditionalPropertiesClosed : SchemaCompatibilityRules.AdditionalPropertiesOpened, Backward
                ? $"{New} closes the content model (additionalProperties: false) that {Old} left open: jobs written with {Old} may carry properties that {New} does not define, which readers on {New} refuse"
                : $"{New} opens the content model that {Old} closed (additionalProperties: false): jobs written with {New} may carry properties that {Old} does not define, which readers still on {Old} refuse");
            return;
        }
        Check(writerRest, readerRest, path + ".*");
    }

    private void CheckArray(SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, string path)
    {
        CheckMinimum(path, "minItems", w.MinItems, r.MinItems, oldNode.MinItems, newNode.MinItems, n => $"arrays with fewer than {n} items");
        CheckMaximum(path, "maxItems", w.MaxItems, r.MaxItems, oldNode.MaxItems, newNode.MaxItems, n => $"arrays with more than {n} items");
        if (r.UniqueItems && !w.UniqueItems)
        {
            Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"uniqueItems {Flag(oldNode.UniqueItems)} → {Flag(newNode.UniqueItems)}: {Tail("arrays with repeated items")}");
        }
        if (Has(w, "prefixItems") || Has(r, "prefixItems"))
        {
            // items then applies after the tuple's positions; only "unchanged" is judged (prefixItems itself is
            // compared as an opaque keyword).
            if (!_equality.Keyword("items", w.Slot, r.Slot))
            {
                Unsupported(path, "prefixItems", "'items' changed next to 'prefixItems'");
            }
            return;
        }
        Check(w.Items ?? SchemaSlot.True, r.Items ?? SchemaSlot.True, path + "[]");
    }

    private void ReportRequired(string name, string path, SchemaNode oldNode, SchemaNode newNode)
    {
        if (Backward)
        {
            if (oldNode.Declares(name))
            {
                Report(path, SchemaCompatibilityRules.RequiredAdded,
                    $"'{name}' becomes required in {New}: jobs written with {Old} may omit it, and readers on {New} refuse those that do");
            }
            else
            {
                Report(path, SchemaCompatibilityRules.PropertyAddedRequired, oldNode.IsClosed
                    ? $"{New} requires '{name}', which {Old} does not define: jobs written with {Old} never carry it, so readers on {New} refuse every one of them"
                    : $"{New} requires '{name}', which {Old} does not define: jobs written with {Old} need not carry it, and readers on {New} refuse those that do not");
            }
        }
        else if (newNode.Declares(name))
        {
            Report(path, SchemaCompatibilityRules.RequiredRemoved,
                $"'{name}' is no longer required in {New}: jobs written with {New} may omit it, and readers still on {Old} refuse those that do");
        }
        else
        {
            Report(path, SchemaCompatibilityRules.PropertyRemoved, newNode.IsClosed
                ? $"{New} removes '{name}', which {Old} requires: jobs written with {New} never carry it, so readers still on {Old} refuse every one of them"
                : $"{New} removes '{name}', which {Old} requires: jobs written with {New} need not carry it, and readers still on {Old} refuse those that do not");
        }
    }

    private void ReportRefusedByClosedReader(string name, string path, SchemaNode oldNode, SchemaNode newNode)
    {
        if (Backward)
        {
            Report(path, SchemaCompatibilityRules.PropertyRemoved,
                $"{New} removes '{name}' and its closed model (additionalProperties: false) refuses properties it does not define: jobs written with {Old} that carry '{name}' are refused by readers on {New}"
                + (oldNode.Requires(name) ? $" (every one of them: {Old} requires it)" : ""));
        }
        else if (newNode.Requires(name))
        {
            Report(path, SchemaCompatibilityRules.PropertyAddedRequired,
                $"{New} adds '{name}' as required, and {Old}'s closed model (additionalProperties: false) does not allow it: every job written with {New} carries it, so readers still on {Old} refuse every one of them");
        }
        else
        {
            Report(path, SchemaCompatibilityRules.PropertyAdded,
                $"{New} adds optional '{name}', which {Old}'s closed model (additionalProperties: false) does not allow: jobs written with {New} that set it are refused by readers still on {Old}");
        }
    }

    private void ReportOpenWriter(string name, string path)
    {
        if (Backward)
        {
            Report(path, SchemaCompatibilityRules.PropertyAdded,
                $"{New} adds '{name}', but {Old} has an open model (no additionalProperties: false): jobs written with {Old} may carry '{name}' with any value, which readers on {New} refuse unless it fits the new definition");
        }
        else
        {
            Report(path, SchemaCompatibilityRules.PropertyRemoved,
                $"{New} removes '{name}' and has an open model (no additionalProperties: false): jobs written with {New} may carry '{name}' with any value, which readers still on {Old} refuse unless it fits {Old}'s definition");
        }
    }

    private void CheckMinimum(string path, string keyword, decimal? writer, decimal? reader, decimal? oldValue, decimal? newValue, Func<string, string> refused)
    {
        if (reader is not { } bound || bound <= (writer ?? 0))
        {
            return;
        }
        Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
            $"{keyword} {Show(oldValue)} → {Show(newValue)}: {Tail(refused(JsonValues.Number(bound)))}");
    }

    private void CheckMaximum(string path, string keyword, decimal? writer, decimal? reader, decimal? oldValue, decimal? newValue, Func<string, string> refused)
    {
        if (reader is not { } bound || (writer is { } limit && limit <= bound))
        {
            return;
        }
        Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
            $"{keyword} {Show(oldValue)} → {Show(newValue)}: {Tail(refused(JsonValues.Number(bound)))}");
    }

    private void UnsupportedKeyword(string path, string keyword, SchemaNode oldNode, SchemaNode newNode)
    {
        if (keyword == "(schema)")
        {
            Unsupported(path, "schema", $"the schema is not an object or a boolean ({Old}: {JsonValues.Show(oldNode.Slot.Element)}; {New}: {JsonValues.Show(newNode.Slot.Element)})");
            return;
        }
        var inOld = oldNode.Opaque.TryGetValue(keyword, out var oldValue) || Has(oldNode, keyword);
        var inNew = newNode.Opaque.TryGetValue(keyword, out var newValue) || Has(newNode, keyword);
        if (inOld && oldValue.ValueKind == JsonValueKind.Undefined)
        {
            oldValue = oldNode.Slot.Element.GetProperty(keyword);
        }
        if (inNew && newValue.ValueKind == JsonValueKind.Undefined)
        {
            newValue = newNode.Slot.Element.GetProperty(keyword);
        }
        var change = (inOld, inNew) switch
        {
            (true, true) => $"'{keyword}' changed ({Old}: {JsonValues.Show(oldValue)}; {New}: {JsonValues.Show(newValue)})",
            (false, true) => $"{New} adds '{keyword}' ({JsonValues.Show(newValue)})",
            _ => $"{New} removes '{keyword}' ({JsonValues.Show(oldValue)})",
        };
        Unsupported(path, keyword, change);
    }

    private void Unsupported(string path, string keyword, string change) =>
        Report(path, SchemaCompatibilityRules.UnsupportedChange,
            $"{change}; the checker cannot judge changes to '{keyword}', so it reports them instead of passing them", neutral: true);

    private void Report(string path, string rule, string message, bool neutral = false)
    {
        if (_reported.Add((path, rule, message)))
        {
            _violations.Add(new SchemaCompatibilityViolation(_jobType, _oldVersion, _newVersion, _mode, neutral ? null : _direction, path, rule, message));
        }
    }

    private string Tail(string what) => Backward
        ? $"jobs written with {Old} may hold {what}, which readers on {New} refuse"
        : $"jobs written with {New} may hold {what}, which readers still on {Old} refuse";

    private static bool Has(SchemaNode node, string keyword) =>
        node.Slot.Element.ValueKind == JsonValueKind.Object && node.Slot.Element.TryGetProperty(keyword, out _);

    private static bool IsFalse(SchemaDocument document, SchemaSlot slot) => SchemaNode.Read(document.Deref(slot)).IsFalse;

    private static bool AcceptsEverything(SchemaDocument document, SchemaSlot slot) => SchemaNode.Read(document.Deref(slot)).AcceptsEverything;

    private static SchemaBound? LowerBound(SchemaNode node, bool integersOnly)
    {
        SchemaBound? bound = node.Minimum is { } minimum ? new SchemaBound(minimum, false) : null;
        if (node.ExclusiveMinimum is { } exclusive && (bound is null || exclusive >= bound.Value.Value))
        {
            bound = new SchemaBound(exclusive, true);
        }
        // For integers, "> 0" and ">= 1" are the same bound.
        return integersOnly && bound is { } b
            ? new SchemaBound(b.Exclusive ? decimal.Floor(b.Value) + 1 : decimal.Ceiling(b.Value), false)
            : bound;
    }

    private static SchemaBound? UpperBound(SchemaNode node, bool integersOnly)
    {
        SchemaBound? bound = node.Maximum is { } maximum ? new SchemaBound(maximum, false) : null;
        if (node.ExclusiveMaximum is { } exclusive && (bound is null || exclusive <= bound.Value.Value))
        {
            bound = new SchemaBound(exclusive, true);
        }
        return integersOnly && bound is { } b
            ? new SchemaBound(b.Exclusive ? decimal.Ceiling(b.Value) - 1 : decimal.Floor(b.Value), false)
            : bound;
    }

    private static string LowerText(SchemaNode node) => BoundText(node.Minimum, "minimum", node.ExclusiveMinimum, "exclusiveMinimum", "no minimum");

    private static string UpperText(SchemaNode node) => BoundText(node.Maximum, "maximum", node.ExclusiveMaximum, "exclusiveMaximum", "no maximum");

    private static string BoundText(decimal? inclusive, string inclusiveName, decimal? exclusive, string exclusiveName, string none)
    {
        var parts = new List<string>();
        if (inclusive is { } i)
        {
            parts.Add($"{inclusiveName} {JsonValues.Number(i)}");
        }
        if (exclusive is { } e)
        {
            parts.Add($"{exclusiveName} {JsonValues.Number(e)}");
        }
        return parts.Count == 0 ? none : string.Join(" and ", parts);
    }

    private static string DeclaredTypes(SchemaNode node) => node.IsFalse ? "none (the schema is false)" : SchemaTypeNames.Declared(node.Types);

    private static string DescribeValues(SchemaNode node) => (node.HasConst, node.HasEnum) switch
    {
        (true, true) => $"const {JsonValues.Show(node.Const!.Value)} with enum [{JsonValues.ShowList(node.Enum!)}]",
        (true, false) => $"const {JsonValues.Show(node.Const!.Value)}",
        (false, true) => $"enum [{JsonValues.ShowList(node.Enum!)}]",
        _ => "any value",
    };

    private static string Show(decimal? value) => value is { } v ? JsonValues.Number(v) : "none";

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Quote(string text) => "'" + text + "'";
}

using System.Text.Json;

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
    private readonly SchemaDocument _writer;
    private readonly SchemaDocument _reader;
    private readonly SchemaEquality _equality;
    private readonly CompatibilityFindings _findings;
    private readonly HashSet<(string, string)> _active = [];

    private SchemaComparer(string jobType, ParamsSchemaVersion oldVersion, JsonElement oldSchema, ParamsSchemaVersion newVersion, JsonElement newSchema,
        CompatibilityMode mode, CompatibilityDirection direction)
    {
        _findings = new CompatibilityFindings(jobType, oldVersion, newVersion, mode, direction);
        var older = new SchemaDocument(oldSchema, oldVersion.ToString());
        var newer = new SchemaDocument(newSchema, newVersion.ToString());
        _writer = Backward ? older : newer;
        _reader = Backward ? newer : older;
        _equality = new SchemaEquality(_writer, _reader);
    }

    public SchemaDocument Writer => _writer;

    public SchemaDocument Reader => _reader;

    public SchemaEquality Equality => _equality;

    public CompatibilityFindings Findings => _findings;

    private bool Backward => _findings.Backward;

    private string Old => _findings.Old;

    private string New => _findings.New;

    public static List<SchemaCompatibilityViolation> Compare(string jobType, ParamsSchemaVersion oldVersion, JsonElement oldSchema,
        ParamsSchemaVersion newVersion, JsonElement newSchema, CompatibilityMode mode, CompatibilityDirection direction)
    {
        var comparer = new SchemaComparer(jobType, oldVersion, oldSchema, newVersion, newSchema, mode, direction);
        comparer.Check(comparer._writer.Root, comparer._reader.Root, "params");
        return comparer._findings.Violations;
    }

    /// <summary>Compares a writer's subschema with a reader's at <paramref name="path"/>, reporting what the reader refuses.</summary>
    public void Check(SchemaSlot writer, SchemaSlot reader, string path)
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
            if (w.Has(keyword) || r.Has(keyword))
            {
                // What is "unevaluated" depends on every sibling and subschema: only "unchanged" can be judged.
                if (!_equality.Schemas(w.Slot, r.Slot))
                {
                    _findings.Unsupported(path, keyword, $"the schema next to '{keyword}' changed");
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
                _findings.UnsupportedKeyword(path, keyword, oldNode, newNode);
            }
        }

        var writerTypes = w.EffectiveTypes;
        var missing = writerTypes & ~r.Types;
        if (missing != SchemaTypes.None)
        {
            var rule = Backward
                ? ((newNode.Types & ~oldNode.Types) == SchemaTypes.None ? SchemaCompatibilityRules.TypeNarrowed : SchemaCompatibilityRules.TypeChanged)
                : ((oldNode.Types & ~newNode.Types) == SchemaTypes.None ? SchemaCompatibilityRules.TypeWidened : SchemaCompatibilityRules.TypeChanged);
            _findings.Report(path, rule, $"type {SchemaText.DeclaredTypes(oldNode)} → {SchemaText.DeclaredTypes(newNode)}: {_findings.Tail(SchemaTypeNames.Values(missing))}");
        }
        var common = writerTypes & r.Types;
        ScalarComparer.CheckValues(_findings, w, r, oldNode, newNode, writerTypes, path);
        if ((common & SchemaTypes.String) != 0)
        {
            ScalarComparer.CheckString(_findings, w, r, oldNode, newNode, path);
        }
        if ((common & SchemaTypes.Number) != 0)
        {
            ScalarComparer.CheckNumber(_findings, w, r, oldNode, newNode, (common & SchemaTypes.NonInteger) == 0, path);
        }
        if ((common & SchemaTypes.Object) != 0)
        {
            ObjectComparer.Check(this, w, r, oldNode, newNode, path);
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
                _findings.Unsupported(path, "$ref", $"'$ref' ({node.Reference}) in {version} does not resolve within the document");
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
            var attempts = writerParts.Select(writerPart => _findings.Speculate(() => Check(writerPart, readerPart, path))).ToList();
            if (attempts.Any(found => found.Count == 0))
            {
                continue;
            }
            // Report what the matching part (target with target, the rest with the rest) says, or the shorter.
            _findings.Commit(readerParts.Count == writerParts.Count ? attempts[i] : attempts.MinBy(found => found.Count)!);
        }
    }

    private void CheckArray(SchemaNode w, SchemaNode r, SchemaNode oldNode, SchemaNode newNode, string path)
    {
        ScalarComparer.CheckMinimum(_findings, path, "minItems", w.MinItems, r.MinItems, oldNode.MinItems, newNode.MinItems, n => $"arrays with fewer than {n} items");
        ScalarComparer.CheckMaximum(_findings, path, "maxItems", w.MaxItems, r.MaxItems, oldNode.MaxItems, newNode.MaxItems, n => $"arrays with more than {n} items");
        if (r.UniqueItems && !w.UniqueItems)
        {
            _findings.Report(path, Backward ? SchemaCompatibilityRules.BoundsTightened : SchemaCompatibilityRules.BoundsLoosened,
                $"uniqueItems {SchemaText.Flag(oldNode.UniqueItems)} → {SchemaText.Flag(newNode.UniqueItems)}: {_findings.Tail("arrays with repeated items")}");
        }
        if (w.Has("prefixItems") || r.Has("prefixItems"))
        {
            // items then applies after the tuple's positions; only "unchanged" is judged (prefixItems itself is
            // compared as an opaque keyword).
            if (!_equality.Keyword("items", w.Slot, r.Slot))
            {
                _findings.Unsupported(path, "prefixItems", "'items' changed next to 'prefixItems'");
            }
            return;
        }
        Check(w.Items ?? SchemaSlot.True, r.Items ?? SchemaSlot.True, path + "[]");
    }
}

using System.Text.Json;

namespace Courier.Contracts.Compatibility;

/// <summary>
/// The violations one comparison found, each reported once, with the wording shared by every rule: which version
/// writes, which reads, and what readers refuse. Findings can be collected on the side (<see cref="Speculate"/>) and
/// kept or dropped.
/// </summary>
internal sealed class CompatibilityFindings
{
    private readonly string _jobType;
    private readonly ParamsSchemaVersion _oldVersion;
    private readonly ParamsSchemaVersion _newVersion;
    private readonly CompatibilityMode _mode;
    private readonly CompatibilityDirection _direction;
    private List<SchemaCompatibilityViolation> _violations = [];
    private HashSet<(string, string, string)> _reported = [];

    public CompatibilityFindings(string jobType, ParamsSchemaVersion oldVersion, ParamsSchemaVersion newVersion, CompatibilityMode mode,
        CompatibilityDirection direction)
    {
        _jobType = jobType;
        _oldVersion = oldVersion;
        _newVersion = newVersion;
        _mode = mode;
        _direction = direction;
    }

    /// <summary>True when the older version writes and the newer one reads.</summary>
    public bool Backward => _direction == CompatibilityDirection.Backward;

    public string Old => _oldVersion.ToString();

    public string New => _newVersion.ToString();

    public List<SchemaCompatibilityViolation> Violations => _violations;

    public List<SchemaCompatibilityViolation> Speculate(Action check)
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

    public void Commit(IEnumerable<SchemaCompatibilityViolation> found)
    {
        foreach (var violation in found)
        {
            if (_reported.Add((violation.Path, violation.Rule, violation.Message)))
            {
                _violations.Add(violation);
            }
        }
    }

    public void UnsupportedKeyword(string path, string keyword, SchemaNode oldNode, SchemaNode newNode)
    {
        if (keyword == "(schema)")
        {
            Unsupported(path, "schema", $"the schema is not an object or a boolean ({Old}: {JsonValues.Show(oldNode.Slot.Element)}; {New}: {JsonValues.Show(newNode.Slot.Element)})");
            return;
        }
        var inOld = oldNode.Opaque.TryGetValue(keyword, out var oldValue) || oldNode.Has(keyword);
        var inNew = newNode.Opaque.TryGetValue(keyword, out var newValue) || newNode.Has(keyword);
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

    public void Unsupported(string path, string keyword, string change) =>
        Report(path, SchemaCompatibilityRules.UnsupportedChange,
            $"{change}; the checker cannot judge changes to '{keyword}', so it reports them instead of passing them", neutral: true);

    public void Report(string path, string rule, string message, bool neutral = false)
    {
        if (_reported.Add((path, rule, message)))
        {
            _violations.Add(new SchemaCompatibilityViolation(_jobType, _oldVersion, _newVersion, _mode, neutral ? null : _direction, path, rule, message));
        }
    }

    public string Tail(string what) => Backward
        ? $"jobs written with {Old} may hold {what}, which readers on {New} refuse"
        : $"jobs written with {New} may hold {what}, which readers still on {Old} refuse";
}

namespace Courier.Server.Downtimes;

/// <summary>One matcher of an Alertmanager silence: a label, and its value or (with <see cref="IsRegex"/>) an expression.</summary>
/// <param name="Name">The label name.</param>
/// <param name="Value">The value, or a regular expression Alertmanager anchors at both ends.</param>
/// <param name="IsRegex">Whether <paramref name="Value"/> is a regular expression.</param>
/// <param name="IsEqual">False for a negative matcher (<c>!=</c>, <c>!~</c>).</param>
internal sealed record SilenceMatcher(string Name, string Value, bool IsRegex, bool IsEqual = true)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name}{(IsEqual, IsRegex) switch
    {
        (true, false) => "=",
        (true, true) => "=~",
        (false, false) => "!=",
        (false, true) => "!~",
    }}\"{Value}\"";
}

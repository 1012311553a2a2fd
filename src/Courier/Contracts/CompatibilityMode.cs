namespace Courier;

/// <summary>
/// Which schema changes a job type accepts (docs/contracts.md "Checking compatibility"). Names follow Confluent
/// Schema Registry's modes; the meaning here is exact set inclusion over JSON Schema: a reader can read what a
/// writer wrote when every params object valid under the writer's schema is valid under the reader's.
/// </summary>
public enum CompatibilityMode
{
    /// <summary>No compatibility check (published versions still may not change or disappear).</summary>
    None,

    /// <summary>Readers on the new version can read jobs written with the previous version. Deploy runners first.</summary>
    Backward,

    /// <summary><see cref="Backward"/> against every earlier version, not only the previous one.</summary>
    BackwardTransitive,

    /// <summary>Readers on the previous version can read jobs written with the new version. Deploy producers first.</summary>
    Forward,

    /// <summary><see cref="Forward"/> against every earlier version, not only the previous one.</summary>
    ForwardTransitive,

    /// <summary>Both <see cref="Backward"/> and <see cref="Forward"/> against the previous version: any deploy order.</summary>
    Full,

    /// <summary>Both directions against every earlier version: any deploy order, any mix of old jobs. The default.</summary>
    FullTransitive,
}

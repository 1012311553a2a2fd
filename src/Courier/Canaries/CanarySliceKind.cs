namespace Courier.Canaries;

/// <summary>What decides which side of a canary a job goes to.</summary>
public enum CanarySliceKind
{
    /// <summary>A stable hash of the job's id: jobs spread evenly, each one always to the same side.</summary>
    JobId,

    /// <summary>
    /// A stable hash of the job's wiki (<c>params.database</c>, else <c>meta.domain</c>, else the event's database):
    /// all jobs of one wiki go to the same side.
    /// </summary>
    Database,
}

namespace Courier;

/// <summary>
/// How an in-process handler (or one behind a Courier runner) treats synthetic probe jobs
/// (<see cref="JobContext.IsProbe"/>). Either way the probe's params are converted and bound to the handler's params
/// type first, so a release that can no longer decode the type's jobs fails its probes.
/// </summary>
public enum ProbeHandling
{
    /// <summary>The probe is answered as a success once its params bind; the handler is not invoked (the default).</summary>
    Skip,

    /// <summary>The handler runs the probe, sees <see cref="JobContext.IsProbe"/> and takes a path without side effects.</summary>
    Run,
}

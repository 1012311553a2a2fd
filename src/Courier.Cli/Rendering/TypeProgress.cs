namespace Courier.Cli.Rendering;

/// <summary>One job type's line of the live progress: the dispatcher's counts plus what the view derives.</summary>
internal sealed record TypeProgress(JobTypeStats Stats, double Rate, long Backlog);

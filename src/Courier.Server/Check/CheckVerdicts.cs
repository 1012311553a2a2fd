namespace Courier.Server.Check;

/// <summary>The verdicts of <c>courier check</c>, for the whole check and for each job type.</summary>
internal static class CheckVerdicts
{
    /// <summary>Enough outcomes in the window and nothing worse than the baseline.</summary>
    public const string Pass = "pass";

    /// <summary>Something is worse: see the reasons.</summary>
    public const string Fail = "fail";

    /// <summary>Too few outcomes in the window to judge, and nothing else wrong.</summary>
    public const string NoData = "no_data";
}

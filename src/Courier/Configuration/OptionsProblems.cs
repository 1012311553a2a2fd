using Microsoft.Extensions.Options;

namespace Courier.Configuration;

/// <summary>The problems an options class lists, as its validator reports them and as its <c>Validate</c> method throws them.</summary>
internal static class OptionsProblems
{
    /// <summary>Success, or a failure listing every problem.</summary>
    public static ValidateOptionsResult Result(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> with the first problem, if there is one.</summary>
    public static void ThrowFirst(IEnumerable<string> problems)
    {
        if (problems.FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem);
        }
    }
}

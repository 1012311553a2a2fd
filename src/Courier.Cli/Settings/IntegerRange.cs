using System.CommandLine;
using System.Globalization;

namespace Courier.Cli.Settings;

/// <summary>Range checks for integer options.</summary>
internal static class IntegerRange
{
    /// <summary>
    /// Adds a range check. It reads the token itself: validators also run when the value did not parse, and then
    /// reading the typed value throws instead of leaving the parse error to be reported.
    /// </summary>
    public static void Check<T>(Option<T> option, long min, long max, string message)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1
                && long.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && (value < min || value > max))
            {
                result.AddError(message);
            }
        });
    }
}

using System.CommandLine;
using Courier.Cli.Logging;

namespace Courier.Cli.Settings;

/// <summary>
/// <c>--log-format text|json</c> of the commands that log to stderr, and where its value comes from: the flag, else
/// <c>COURIER_LOG_FORMAT</c> (for service managers: a unit or container sets it once), else text.
/// </summary>
internal static class LogFormatOption
{
    /// <summary>The environment variable read when the flag is not given.</summary>
    public const string EnvironmentVariable = "COURIER_LOG_FORMAT";

    private const string Text = "text";
    private const string Json = "json";

    /// <summary>A new <c>--log-format</c> option, for one command.</summary>
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--log-format")
        {
            Description = $"Log lines on stderr as `text` (default) or `json`: one JSON object per line for log shippers, and nothing else on stderr. "
                + $"Default: ${EnvironmentVariable}, else text.",
            HelpName = "text|json",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && Parse(result.Tokens[0].Value) is null)
            {
                result.AddError($"--log-format must be {Text} or {Json}, not '{result.Tokens[0].Value}'.");
            }
        });
        return option;
    }

    /// <summary>The flag's value, else the environment's (a usage error when it is neither text nor json), else text.</summary>
    public static LogFormat Resolve(ParseResult parseResult, Option<string?> option, Func<string, string?> environment)
    {
        if (parseResult.GetValue(option) is { } given)
        {
            return Parse(given)!.Value;
        }
        if (environment(EnvironmentVariable) is not { Length: > 0 } fromEnvironment)
        {
            return LogFormat.Text;
        }
        return Parse(fromEnvironment.Trim())
            ?? throw new UsageException($"{EnvironmentVariable}: '{fromEnvironment}' is not a log format; use `{Text}` or `{Json}`.");
    }

    private static LogFormat? Parse(string value) =>
        string.Equals(value, Text, StringComparison.OrdinalIgnoreCase) ? LogFormat.Text
        : string.Equals(value, Json, StringComparison.OrdinalIgnoreCase) ? LogFormat.Json
        : null;
}

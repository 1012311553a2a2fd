using Spectre.Console;

namespace Courier.Cli;

/// <summary>Where a command writes, and whether each stream is a terminal (live display and colour) or redirected (plain text).</summary>
public sealed class CliConsole
{
    /// <summary>Standard output.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when standard output is a terminal.</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>True when standard error is a terminal.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Opens standard input (for <c>enqueue --raw -</c>).</summary>
    public Func<Stream> OpenInput { get; init; } = Console.OpenStandardInput;

    /// <summary>The process's own console.</summary>
    public static CliConsole FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OutIsTerminal = !Console.IsOutputRedirected && !IsDumbTerminal(),
        ErrorIsTerminal = !Console.IsErrorRedirected && !IsDumbTerminal(),
    };

    /// <summary>A Spectre console over one of the streams: ANSI and colour only when it is a terminal.</summary>
    public IAnsiConsole Ansi(bool toError = false)
    {
        var terminal = toError ? ErrorIsTerminal : OutIsTerminal;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(toError ? Error : Out),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    private static bool IsDumbTerminal() =>
        string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
}

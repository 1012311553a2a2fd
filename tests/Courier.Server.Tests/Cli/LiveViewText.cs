using Courier.Cli.Rendering;
using Spectre.Console;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier up</c>'s live view of a snapshot as plain text (no colours), for the live view tests.</summary>
internal static class LiveViewText
{
    public static string Of(ProgressSnapshot snapshot, int width, int consoleWidth)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = consoleWidth;
        console.Write(LiveProgressView.Render(snapshot, width));
        return output.ToString();
    }
}

using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Courier.Cli.Rendering;

/// <summary>Prints a table: a Spectre table on a terminal, plain space-aligned columns when redirected.</summary>
internal static class TableOutput
{
    public static void Write(CliConsole console, string? title, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var numeric = Enumerable.Range(0, headers.Count)
            .Select(c => rows.Count > 0 && rows.All(r => c < r.Count && IsNumber(r[c])))
            .ToArray();
        var widths = Enumerable.Range(0, headers.Count)
            .Select(c => Math.Max(headers[c].Length, rows.Count == 0 ? 0 : rows.Max(r => c < r.Count ? r[c].Length : 0)))
            .ToArray();
        // A bordered table needs about three more characters per column; when that would wrap cells, plain
        // columns read better.
        var ansi = console.OutIsTerminal ? console.Ansi() : null;
        if (ansi is not null && widths.Sum() + 3 * widths.Length + 1 <= ansi.Profile.Width)
        {
            var table = new Table().Border(TableBorder.Rounded);
            if (title is not null)
            {
                table.Title(Markup.Escape(title));
            }
            for (var c = 0; c < headers.Count; c++)
            {
                var column = new TableColumn(Markup.Escape(headers[c]));
                table.AddColumn(numeric[c] ? column.RightAligned() : column);
            }
            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }
            ansi.Write(table);
            return;
        }
        if (title is not null)
        {
            console.Out.WriteLine(title);
        }
        console.Out.WriteLine(Line(headers, widths, numeric));
        foreach (var row in rows)
        {
            console.Out.WriteLine(Line(row, widths, numeric));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths, bool[] numeric)
    {
        var line = new StringBuilder();
        for (var c = 0; c < widths.Length; c++)
        {
            var cell = c < cells.Count ? cells[c] : "";
            if (c > 0)
            {
                line.Append("  ");
            }
            line.Append(numeric[c] ? cell.PadLeft(widths[c]) : c == widths.Length - 1 ? cell : cell.PadRight(widths[c]));
        }
        return line.ToString().TrimEnd();
    }

    private static bool IsNumber(string text) =>
        text == "-" || double.TryParse(text.TrimEnd('/', 's'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}

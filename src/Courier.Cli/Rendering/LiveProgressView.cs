using Spectre.Console;
using Spectre.Console.Rendering;

namespace Courier.Cli.Rendering;

/// <summary>The live display on a terminal: a table per job type redrawn in place, with the last few warnings below it.</summary>
internal sealed class LiveProgressView(IAnsiConsole console) : IProgressView
{
    public Task RunAsync(Func<Action<ProgressSnapshot>, Task> loop) =>
        console.Live(new Text("starting…")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(ctx =>
            loop(snapshot =>
            {
                ctx.UpdateTarget(Render(snapshot, console.Profile.Width));
                ctx.Refresh();
            }));

    // Types as columns reads best (one line per measure, dead letters split by class) and fits 80 columns with
    // the three demo types; with many configured types it would not, so each type becomes a row instead.
    private static bool ByTypeColumnsFits(ProgressSnapshot s, int width)
    {
        // Label column ("dead-lettered") and the borders; each value column is its name or a 7-digit number,
        // plus padding and a border.
        var needed = 1 + 13 + 3 + s.Types.Sum(t => Math.Max(t.Stats.Type.Length, 7) + 3) + (s.Types.Count > 1 ? 7 + 3 : 0);
        return needed <= width;
    }

    private static Table TypesAsColumns(ProgressSnapshot s)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("");
        foreach (var t in s.Types)
        {
            table.AddColumn(new TableColumn(Markup.Escape(t.Stats.Type) + PauseLines.Mark(t.Stats)).RightAligned());
        }
        var total = s.Types.Count > 1;
        if (total)
        {
            table.AddColumn(new TableColumn("[bold]total[/]").RightAligned());
        }
        void Row(string name, Func<TypeProgress, long> value, string color = "")
        {
            var cells = new List<IRenderable> { new Markup(name) };
            foreach (var t in s.Types)
            {
                cells.Add(Cell(value(t), color));
            }
            if (total)
            {
                cells.Add(Cell(s.Types.Sum(value), color, bold: true));
            }
            table.AddRow(cells);
        }
        Row("started", t => t.Stats.Started);
        Row("succeeded", t => t.Stats.Succeeded, "green");
        Row("retried", t => t.Stats.Retried, "yellow");
        Row("dead-lettered", t => t.Stats.DeadLettered, "red");
        foreach (var failureClass in Enum.GetValues<FailureClass>())
        {
            if (s.Types.Any(t => t.Stats.DeadLetteredByClass.GetValueOrDefault(failureClass) > 0))
            {
                Row($"[grey]  {failureClass.ToWireName()}[/]", t => t.Stats.DeadLetteredByClass.GetValueOrDefault(failureClass), "red");
            }
        }
        Row("ignored", t => t.Stats.Ignored);
        Row("not run", t => Format.NotRunCount(t.Stats));
        Row("in flight", t => t.Stats.InFlight);
        var rates = new List<IRenderable> { new Markup("rate/s") };
        rates.AddRange(s.Types.Select(t => new Text(Format.Rate(t.Rate))));
        if (total)
        {
            rates.Add(new Markup($"[bold]{Format.Rate(s.Types.Sum(t => t.Rate))}[/]"));
        }
        table.AddRow(rates);
        Row("backlog", t => t.Backlog);
        return table;
    }

    private static IRenderable Cell(long value, string color, bool bold = false)
    {
        var style = (bold ? "bold " : "") + (value > 0 ? color : "");
        return style.Trim().Length == 0 ? new Text(Format.N(value)) : new Markup($"[{style.Trim()}]{Format.N(value)}[/]");
    }

    private static Table TypesAsRows(ProgressSnapshot s)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("type");
        foreach (var name in new[] { "started", "succeeded", "retried", "dead", "ignored", "not run", "running", "rate/s", "backlog" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }
        foreach (var t in s.Types)
        {
            table.AddRow(
                new Markup(Markup.Escape(t.Stats.Type) + PauseLines.Mark(t.Stats)),
                new Text(Format.N(t.Stats.Started)),
                Cell(t.Stats.Succeeded, "green"),
                Cell(t.Stats.Retried, "yellow"),
                Cell(t.Stats.DeadLettered, "red"),
                new Text(Format.N(t.Stats.Ignored)),
                new Text(Format.N(Format.NotRunCount(t.Stats))),
                new Text(Format.N(t.Stats.InFlight)),
                new Text(Format.Rate(t.Rate)),
                new Text(Format.N(t.Backlog)));
        }
        return table;
    }

    internal static IRenderable Render(ProgressSnapshot s, int width)
    {
        var header = new Markup(
            $"[bold]courier up[/]  [grey]engine[/] {Markup.Escape(s.Engine)}  [grey]state[/] {Markup.Escape(s.StateStore)}  [grey]data[/] {Markup.Escape(s.DataDirectory)}  " +
            (s.MetricsUrl is null ? "" : $"[grey]metrics[/] {Markup.Escape(s.MetricsUrl)}  ") +
            $"[grey]elapsed[/] {Format.Elapsed(s.Elapsed)}" +
            (s.Executors == "in-process" ? "" : $"\n[grey]executor[/] {Markup.Escape(s.Executors)}"));
        var phase = s.EnqueueTarget > 0
            ? $"{Markup.Escape(s.Phase)}  [grey]demo jobs enqueued[/] {Format.N(s.Enqueued)}/{Format.N(s.EnqueueTarget)}"
            : Markup.Escape(s.Phase);

        var table = ByTypeColumnsFits(s, width) ? TypesAsColumns(s) : TypesAsRows(s);
        var parts = new List<IRenderable> { header, new Markup(phase), table };
        foreach (var line in PauseLines.Of(s.Types.Select(t => t.Stats)))
        {
            parts.Add(new Markup($"[yellow bold]{Markup.Escape(line)}[/]"));
        }
        foreach (var line in ProbeLines.Of(s.Probes, s.TakenAt))
        {
            parts.Add(new Markup(line.Contains(": ok ", StringComparison.Ordinal) ? $"[grey]{Markup.Escape(line)}[/]" : $"[red]{Markup.Escape(line)}[/]"));
        }
        foreach (var line in RecurringLines.Of(s.Recurring))
        {
            parts.Add(new Markup($"[grey]{Markup.Escape(line)}[/]"));
        }
        foreach (var line in CanaryLines.Of(s.Canaries))
        {
            parts.Add(new Markup($"[blue]{Markup.Escape(line)}[/] [grey](courier canary status)[/]"));
        }
        if (s.Alerts.Count > 0)
        {
            parts.Add(new Markup($"[red bold]{Format.N(s.Alerts.Count)} alert{(s.Alerts.Count == 1 ? "" : "s")} firing[/] [grey](courier alerts)[/]"));
            foreach (var line in AlertLines.Of(s.Alerts))
            {
                parts.Add(new Markup($"[red]{Markup.Escape(line)}[/]"));
            }
        }
        if (s.Warnings > 0)
        {
            parts.Add(new Markup($"[yellow]{Format.N(s.Warnings)} warnings[/] [grey](all in {Markup.Escape(s.LogFile ?? "stderr")}; latest:)[/]"));
            foreach (var line in s.RecentLogs)
            {
                var clipped = line.Length > width - 2 && width > 10 ? string.Concat(line.AsSpan(0, width - 3), "…") : line;
                parts.Add(new Markup($"[grey]{Markup.Escape(clipped)}[/]"));
            }
        }
        parts.Add(new Markup("[grey]Ctrl+C to stop (drains in-flight jobs, then prints a summary)[/]"));
        return new Rows(parts);
    }
}

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

    internal static IRenderable Render(ProgressSnapshot s, int width)
    {
        var header = new Markup(
            $"[bold]courier up[/]  [grey]data[/] {Markup.Escape(s.DataDirectory)}  " +
            (s.MetricsUrl is null ? "" : $"[grey]metrics[/] {Markup.Escape(s.MetricsUrl)}  ") +
            $"[grey]elapsed[/] {Format.Elapsed(s.Elapsed)}");
        var phase = s.EnqueueTarget > 0
            ? $"{Markup.Escape(s.Phase)}  [grey]demo jobs enqueued[/] {Format.N(s.Enqueued)}/{Format.N(s.EnqueueTarget)}"
            : Markup.Escape(s.Phase);

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn("type");
        foreach (var name in new[] { "started", "succeeded", "retried", "dead-lettered", "ignored", "in flight", "rate/s", "backlog" })
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }
        foreach (var t in s.Types)
        {
            table.AddRow(
                new Text(t.Type),
                new Text(Format.N(t.Started)),
                new Markup($"[green]{Format.N(t.Succeeded)}[/]"),
                new Markup(t.Retried > 0 ? $"[yellow]{Format.N(t.Retried)}[/]" : "0"),
                new Markup(t.DeadLettered > 0 ? $"[red]{Markup.Escape(Format.DeadLetters(t.DeadLettered, t.DeadLetteredByClass))}[/]" : "0"),
                new Text(Format.N(t.Ignored)),
                new Text(Format.N(t.InFlight)),
                new Text(Format.Rate(t.Rate)),
                new Text(Format.N(t.Backlog)));
        }
        if (s.Types.Count > 1)
        {
            table.AddRow(
                new Markup("[bold]total[/]"),
                new Markup($"[bold]{Format.N(s.Types.Sum(t => t.Started))}[/]"),
                new Markup($"[bold green]{Format.N(s.Types.Sum(t => t.Succeeded))}[/]"),
                new Markup($"[bold]{Format.N(s.Types.Sum(t => t.Retried))}[/]"),
                new Markup($"[bold]{Format.N(s.Types.Sum(t => t.DeadLettered))}[/]"),
                new Markup($"[bold]{Format.N(s.Types.Sum(t => t.Ignored))}[/]"),
                new Markup($"[bold]{Format.N(s.Types.Sum(t => t.InFlight))}[/]"),
                new Markup($"[bold]{Format.Rate(s.Types.Sum(t => t.Rate))}[/]"),
                new Markup($"[bold]{Format.N(s.Types.Sum(t => t.Backlog))}[/]"));
        }

        var parts = new List<IRenderable> { header, new Markup(phase), table };
        if (s.Warnings > 0)
        {
            parts.Add(new Markup($"[yellow]{Format.N(s.Warnings)} warnings[/] [grey](all in {Markup.Escape(s.LogFile ?? "the log")}; latest:)[/]"));
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

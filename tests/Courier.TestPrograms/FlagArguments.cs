using System.Globalization;

namespace Courier.TestPrograms;

/// <summary>
/// A test program's command line, <c>--flag value</c> pairs only: each accessor takes its flag out, and
/// <see cref="EnsureAllUsed"/> rejects what is left. Errors are <see cref="ArgumentException"/>s carrying the usage text.
/// </summary>
public sealed class FlagArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string _usage;

    public FlagArguments(IReadOnlyList<string> args, string usage)
    {
        _usage = usage;
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --flag value, got '{args[i]}'\n{usage}");
            }
            _values[args[i][2..]] = args[++i];
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string Required(string name) =>
        _values.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required\n{_usage}");

    public string? Text(string name) => _values.Remove(name, out var value) ? value : null;

    public int Number(string name, int fallback) => _values.Remove(name, out var value)
        ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)
        : fallback;

    /// <summary>Throws when a flag was given that no accessor asked for.</summary>
    public void EnsureAllUsed()
    {
        if (_values.Count > 0)
        {
            throw new ArgumentException($"unknown flag --{_values.Keys.First()}\n{_usage}");
        }
    }

    /// <summary>
    /// Parses with <paramref name="parse"/>; on a bad command line writes why to stderr and returns false (the program
    /// then exits 2).
    /// </summary>
    public static bool TryParse<T>(Func<T> parse, out T parsed)
    {
        try
        {
            parsed = parse();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            parsed = default!;
            return false;
        }
    }
}

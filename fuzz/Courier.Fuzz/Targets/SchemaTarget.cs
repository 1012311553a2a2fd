using System.Text;

namespace Courier.Fuzz.Targets;

/// <summary>
/// The schema checker's inputs: two params schema documents (the text before and after the first line <c>---</c>;
/// without one, the same document twice), each parsed as <c>courier schema check</c> reads a version file, then the
/// newer compared with the older in both directions. A document refused is a <see cref="ParamsSchemaException"/>.
/// </summary>
public static class SchemaTarget
{
    private const string JobType = "fuzzJob";

    private static readonly ParamsSchemaVersion Old = ParamsSchemaVersion.Parse("1.0.0");
    private static readonly ParamsSchemaVersion New = ParamsSchemaVersion.Parse("1.1.0");

    /// <summary>Parses and compares the two documents of <paramref name="input"/>; throws only on a bug.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var split = text.IndexOf("\n---\n", StringComparison.Ordinal);
        var (oldText, newText) = split < 0 ? (text, text) : (text[..split], text[(split + 5)..]);
        ParamsSchema older, newer;
        try
        {
            older = ParamsSchema.Parse(JobType, Old, oldText, "1.0.0.json");
            newer = ParamsSchema.Parse(JobType, New, newText, "1.1.0.json");
        }
        catch (ParamsSchemaException e)
        {
            FuzzInvariantException.Require(e.Message.Length > 0, "a schema refused without a message");
            return;
        }
        var found = SchemaCompatibilityChecker.Compare(JobType, Old, older.Document, New, newer.Document, CompatibilityMode.Full);
        FuzzInvariantException.Require(found.All(v => v.Message.Length > 0 && v.Rule.Length > 0), "a violation without a rule or message");
        if (split < 0)
        {
            // A version compared with itself can never be incompatible, except for what the checker cannot judge.
            FuzzInvariantException.Require(found.All(v => v.Rule == SchemaCompatibilityRules.UnsupportedChange),
                $"a schema is incompatible with itself: {string.Join("; ", found.Select(v => v.Message))}");
        }
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace Courier.Server.Console;

/// <summary>
/// A piece of HTML that is already safe. Built with <see cref="Of"/> from an interpolated string whose holes are
/// HTML-encoded (<see cref="HtmlEncoder.Default"/>) unless they are <see cref="Html"/> themselves, so a page cannot
/// forget to encode a job type, a reason or a header.
/// </summary>
internal readonly struct Html
{
    private readonly string? _value;

    private Html(string value) => _value = value;

    /// <summary>Nothing.</summary>
    public static Html Empty => default;

    /// <summary>Markup from an interpolated string, its holes encoded.</summary>
    public static Html Of(ref Builder builder) => new(builder.Close());

    /// <summary>Markup the caller vouches for (literals only).</summary>
    public static Html Raw(string markup) => new(markup);

    /// <summary>The pieces one after another.</summary>
    public static Html Join(IEnumerable<Html> pieces) => new(string.Concat(pieces.Select(p => p._value)));

    /// <summary>The markup.</summary>
    public override string ToString() => _value ?? "";

    /// <summary>Builds <see cref="Html"/>, encoding every hole.</summary>
    [InterpolatedStringHandler]
    public ref struct Builder
    {
        private StringBuilder? _text;

        /// <summary>For the compiler.</summary>
        public Builder(int literalLength, int formattedCount) => _text = new StringBuilder(literalLength + formattedCount * 16);

        /// <summary>A literal part: markup.</summary>
        public readonly void AppendLiteral(string value) => _text!.Append(value);

        /// <summary>A hole: encoded, unless it is <see cref="Html"/>.</summary>
        public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

        /// <summary>A hole with a format (numbers, dates; invariant culture).</summary>
        public readonly void AppendFormatted<T>(T value, string? format)
        {
            switch (value)
            {
                case Html html:
                    _text!.Append(html._value);
                    break;
                case IFormattable formattable:
                    _text!.Append(HtmlEncoder.Default.Encode(formattable.ToString(format, CultureInfo.InvariantCulture)));
                    break;
                case null:
                    break;
                default:
                    _text!.Append(HtmlEncoder.Default.Encode(value.ToString() ?? ""));
                    break;
            }
        }

        internal string Close()
        {
            var text = _text!.ToString();
            _text = null;
            return text;
        }
    }
}

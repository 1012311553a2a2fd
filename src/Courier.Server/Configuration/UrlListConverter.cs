namespace Courier.Server;

/// <summary>Reads a single URL as a <see cref="UrlList"/> of one; <see cref="ConfigChecks"/> checks the URL.</summary>
public sealed class UrlListConverter() : ConfigListConverter(typeof(UrlList))
{
    /// <inheritdoc/>
    protected override object? FromSingleValue(string value) => new UrlList { new Uri(value, UriKind.RelativeOrAbsolute) };
}

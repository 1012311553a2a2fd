using System.Collections.Frozen;
using System.Security.Cryptography;
using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Courier.Server.Console;

/// <summary>
/// The console's static files, embedded in the assembly at build time (htmx and uPlot from npm, our CSS and JS),
/// served at <c>/ui/assets/&lt;file&gt;</c>. Pages link them with <c>?v=&lt;hash&gt;</c>, so they are cached for a
/// year and a new build's files are fetched anew.
/// </summary>
internal static class ConsoleAssets
{
    /// <summary>The route prefix.</summary>
    public const string Route = "/ui/assets";

    private const string ResourcePrefix = "Courier.Console.assets.";

    private static readonly Lazy<FrozenDictionary<string, Asset>> All = new(Load);

    /// <summary>The address of <paramref name="file"/> with its version, for a page's link.</summary>
    public static string Url(string file) =>
        All.Value.TryGetValue(file, out var asset) ? $"{Route}/{file}?v={asset.Version}" : throw new ArgumentException($"no console asset '{file}'", nameof(file));

    /// <summary>The file names served.</summary>
    public static IReadOnlyCollection<string> Files => All.Value.Keys;

    /// <summary>Maps <c>GET /ui/assets/{file}</c>; no token needed (the sign-in page uses the stylesheet).</summary>
    public static void MapConsoleAssets(this IEndpointRouteBuilder app) =>
        app.MapGet(Route + "/{file}", (string file, HttpContext context) =>
        {
            if (!All.Value.TryGetValue(file, out var asset))
            {
                return Results.NotFound();
            }
            var headers = context.Response.GetTypedHeaders();
            headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromDays(365) };
            headers.ETag = asset.ETag;
            var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
            return ifNoneMatch.Any(e => e.Compare(asset.ETag, useStrongComparison: false))
                ? Results.StatusCode(StatusCodes.Status304NotModified)
                : Results.Bytes(asset.Content, asset.ContentType);
        }).RequireAccess(HttpSurface.Admin, null).WithDisplayName("Courier console assets");

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var version = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
            var file = name[ResourcePrefix.Length..];
            assets[file] = new Asset(content, ContentTypeOf(file), version, new EntityTagHeaderValue($"\"{version}\""));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string Version, EntityTagHeaderValue ETag);
}

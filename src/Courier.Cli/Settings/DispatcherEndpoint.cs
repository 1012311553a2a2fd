using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Courier.Cli.Settings;

/// <summary>
/// The HTTP endpoint of a running dispatcher (<c>courier up</c>, <c>courier serve</c>) that a command reads from or acts
/// on, and the one way commands call it: <see cref="CreateClient"/> (base address, bearer token, timeout), then
/// <see cref="GetStringAsync"/>, <see cref="GetJsonAsync{T}"/> or <see cref="PostJsonAsync"/>, which turn refusals
/// and connection failures into exceptions whose message says what to do.
/// </summary>
internal static class DispatcherEndpoint
{
    /// <summary>The environment variable read for the bearer token when <c>--token</c> is not given.</summary>
    public const string TokenEnvironmentVariable = "COURIER_TOKEN";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The <c>--server</c> option of such commands (with other names it is also known by, e.g. <c>--url</c>).</summary>
    public static Option<string?> ServerOption(params string[] aliases) => new("--server", aliases)
    {
        Description = "The dispatcher's admin address (default: the configuration's http.listen.admin, else metrics.listen, "
            + "else http://127.0.0.1:9464/, where `courier up` and `courier serve` listen).",
    };

    /// <summary>The <c>--token</c> option of such commands: the bearer token sent to the server.</summary>
    public static Option<string?> TokenOption() => new("--token")
    {
        Description = $"Bearer token for a dispatcher that requires one (auth.tokens, COURIER_ADMIN_TOKENS); else env {TokenEnvironmentVariable}.",
    };

    /// <summary><paramref name="route"/> on the server <c>--server</c> names, else on the configured local one.</summary>
    public static Uri Resolve(ParseResult parseResult, CliContext context, Option<string?> server, string route) =>
        new(BaseUrl(parseResult, context, server), route);

    /// <summary>
    /// A client for the server <paramref name="server"/> names (else the configured local one): that base address, the
    /// token of <paramref name="token"/> (else <c>COURIER_TOKEN</c>) as <c>Authorization: Bearer</c>, a timeout.
    /// </summary>
    public static HttpClient CreateClient(ParseResult parseResult, CliContext context, Option<string?> server, Option<string?> token,
        TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = BaseUrl(parseResult, context, server), Timeout = timeout ?? DefaultTimeout };
        var bearer = parseResult.GetValue(token) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(TokenEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(bearer))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Trim());
        }
        return http;
    }

    /// <summary>The body of <c>GET route</c>; a refusal or no answer throws (see <see cref="SendAsync"/>).</summary>
    public static Task<string> GetStringAsync(HttpClient http, string route, CancellationToken cancellationToken) =>
        SendAsync(http, HttpMethod.Get, route, body: null, cancellationToken);

    /// <summary><c>GET route</c> read as <typeparamref name="T"/> with <paramref name="json"/>.</summary>
    public static async Task<T> GetJsonAsync<T>(HttpClient http, string route, JsonSerializerOptions? json, CancellationToken cancellationToken)
    {
        var body = await GetStringAsync(http, route, cancellationToken);
        return ReadJson<T>(http, route, body, json);
    }

    /// <summary>The body of <c>POST route</c> with <paramref name="body"/> as JSON (none when null).</summary>
    public static Task<string> PostJsonAsync(HttpClient http, string route, object? body, CancellationToken cancellationToken) =>
        SendAsync(http, HttpMethod.Post, route, body, cancellationToken);

    /// <summary><paramref name="body"/> (an answer of <paramref name="route"/>) read as <typeparamref name="T"/>.</summary>
    public static T ReadJson<T>(HttpClient http, string route, string body, JsonSerializerOptions? json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CommandFailedException($"{Url(http, route)} answered something that is not the expected JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Sends a request and returns the body of a 2xx answer. 400 throws <see cref="UsageException"/> (the server refused
    /// the arguments); 401, 403, 404 and other answers, a connection failure and a timeout throw
    /// <see cref="CommandFailedException"/> with the server's <c>{"error"}</c> and what to do about it.
    /// </summary>
    public static async Task<string> SendAsync(HttpClient http, HttpMethod method, string route, object? body, CancellationToken cancellationToken)
    {
        var url = Url(http, route);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }
            throw Refused(url, response.StatusCode, ErrorOf(text) ?? Shorten(text), http.DefaultRequestHeaders.Authorization is not null);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(url, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException(
                $"no answer from {url} within {http.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s (is the dispatcher there overloaded or stopped?)", e);
        }
    }

    /// <summary>A failure to reach <paramref name="url"/>, saying what should be running there.</summary>
    public static CommandFailedException Unreachable(Uri url, HttpRequestException e) =>
        new($"cannot read {url}: {e.Message} (is `courier up` or `courier serve` running there? --server names another)", e);

    private static Exception Refused(Uri url, HttpStatusCode status, string error, bool sentToken) => status switch
    {
        HttpStatusCode.BadRequest => new UsageException($"{url} refused the request: {error}"),
        HttpStatusCode.Unauthorized => new CommandFailedException(sentToken
            ? $"401: {url} did not accept the token (revoked, mistyped, or for another server): {error}"
            : $"401: this server needs a token: --token or {TokenEnvironmentVariable} ({error})"),
        HttpStatusCode.Forbidden => new CommandFailedException($"403: {url} refused: {error} (a token with the needed scope, or a browser-free client)"),
        HttpStatusCode.NotFound => new CommandFailedException($"404: {url}: {error} (an older dispatcher, or --server names another surface's address?)"),
        _ => new CommandFailedException($"{url} answered {(int)status}: {error}"),
    };

    private static Uri BaseUrl(ParseResult parseResult, CliContext context, Option<string?> server)
    {
        if (parseResult.GetValue(server) is { } given)
        {
            return Uri.TryCreate(given, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new UsageException($"{string.Join('/', server.Aliases.Prepend(server.Name))} '{given}' is not an http:// or https:// URL.");
        }
        return CliSettings.Resolve(parseResult, context).LocalAdminUrl();
    }

    private static Uri Url(HttpClient http, string route) => http.BaseAddress is { } root ? new Uri(root, route) : new Uri(route);

    private static string? ErrorOf(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject o && o["error"] is JsonValue v && v.TryGetValue<string>(out var error) ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

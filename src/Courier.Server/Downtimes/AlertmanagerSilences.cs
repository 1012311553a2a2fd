using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Courier.Server.Downtimes;

/// <summary>
/// The silences of one Alertmanager, through its v2 API: create (<c>POST /api/v2/silences</c>), list
/// (<c>GET /api/v2/silences</c>) and expire (<c>DELETE /api/v2/silence/{id}</c>). Failures are
/// <see cref="AlertmanagerException"/>s that name the address and carry Alertmanager's own answer.
/// </summary>
internal sealed class AlertmanagerSilences : IDisposable
{
    /// <summary>How long one request may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Talks to the Alertmanager at <paramref name="baseUrl"/> (e.g. <c>http://127.0.0.1:9093/</c>; a path prefix is kept).</summary>
    public AlertmanagerSilences(Uri baseUrl, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{baseUrl}' is not an http or https address", nameof(baseUrl));
        }
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = RequestTimeout };
    }

    /// <summary>The Alertmanager's base address (ending in <c>/</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Creates <paramref name="silence"/>; returns Alertmanager's id for it.</summary>
    public async Task<string> CreateAsync(Silence silence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silence);
        var body = new JsonObject
        {
            ["matchers"] = new JsonArray([.. silence.Matchers.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name,
                ["value"] = m.Value,
                ["isRegex"] = m.IsRegex,
                ["isEqual"] = m.IsEqual,
            })]),
            ["startsAt"] = Time(silence.StartsAt),
            ["endsAt"] = Time(silence.EndsAt),
            ["createdBy"] = silence.CreatedBy,
            ["comment"] = silence.Comment,
        };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        var answer = await SendAsync(HttpMethod.Post, "api/v2/silences", content, "create a silence", cancellationToken);
        return JsonNode.Parse(answer)?["silenceID"]?.GetValue<string>()
            ?? throw new AlertmanagerException($"Alertmanager at {BaseUrl} created a silence but named no id: {answer}");
    }

    /// <summary>Every silence Alertmanager holds, expired ones it still keeps included.</summary>
    public async Task<IReadOnlyList<Silence>> ListAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "api/v2/silences", null, "list silences", cancellationToken);
        try
        {
            return [.. (JsonNode.Parse(answer)?.AsArray() ?? []).Select(Read)];
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new AlertmanagerException($"Alertmanager at {BaseUrl} listed silences in a shape Courier does not read: {e.Message}", e);
        }
    }

    /// <summary>Expires the silence <paramref name="id"/> now.</summary>
    public Task ExpireAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return SendAsync(HttpMethod.Delete, "api/v2/silence/" + Uri.EscapeDataString(id), null, $"expire silence {id}", cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<string> SendAsync(HttpMethod method, string path, HttpContent? content, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path)) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AlertmanagerException($"cannot reach Alertmanager at {BaseUrl} to {what}: {e.Message}", e);
        }
        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new AlertmanagerException(
                    $"Alertmanager at {BaseUrl} refused to {what}: {(int)response.StatusCode} {response.ReasonPhrase}: {answer.Trim()}",
                    response.StatusCode);
            }
            return answer;
        }
    }

    private static Silence Read(JsonNode? node) => new()
    {
        Id = Text(node, "id"),
        Matchers = [.. (node?["matchers"]?.AsArray() ?? throw Missing("matchers")).Select(m => new SilenceMatcher(
            Text(m, "name"),
            Text(m, "value"),
            m?["isRegex"]?.GetValue<bool>() ?? false,
            m?["isEqual"]?.GetValue<bool>() ?? true))],
        StartsAt = DateTimeOffset.Parse(Text(node, "startsAt"), CultureInfo.InvariantCulture),
        EndsAt = DateTimeOffset.Parse(Text(node, "endsAt"), CultureInfo.InvariantCulture),
        CreatedBy = node?["createdBy"]?.GetValue<string>() ?? "",
        Comment = node?["comment"]?.GetValue<string>() ?? "",
        State = node?["status"]?["state"]?.GetValue<string>() ?? "",
    };

    private static string Text(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? throw Missing(name);

    private static FormatException Missing(string name) => new($"a silence without \"{name}\"");

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

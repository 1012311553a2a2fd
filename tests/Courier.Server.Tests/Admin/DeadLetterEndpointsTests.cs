using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Server.Admin;
using Courier.Server.Tests.Control;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Admin;

/// <summary><c>/v1/dead-letters</c> on <c>courier serve</c>: pages, one dead letter, replays and their status, bad inputs.</summary>
public sealed class DeadLetterEndpointsTests() : ServedControlTests("dispatcher:\n  rules:\n    massMessage: {}\n")
{
    private IReadOnlyList<TopicPartitionOffset> _seeded = [];

    [Fact]
    public async Task List_FiltersAndPagesNewestFirst()
    {
        await SeedAsync();

        using var all = await GetJsonAsync("/v1/dead-letters");
        using var mass = await GetJsonAsync("/v1/dead-letters?type=massMessage");
        using var retryable = await GetJsonAsync("/v1/dead-letters?class=retryable");
        using var text = await GetJsonAsync("/v1/dead-letters?q=OPTED%20out");
        using var job = await GetJsonAsync("/v1/dead-letters?job_id=mm-2");

        Assert.Equal(3, all.RootElement.GetProperty("matching").GetInt64());
        Assert.Equal(JsonValueKind.Null, all.RootElement.GetProperty("next_cursor").ValueKind);
        Assert.Equal(0, all.RootElement.GetProperty("not_yet_indexed").GetInt64());
        Assert.Equal(2, mass.RootElement.GetProperty("matching").GetInt64());
        Assert.Equal(["mm-2"], JobIds(retryable));
        Assert.Equal(["mm-1"], JobIds(text));
        Assert.Equal(["mm-2"], JobIds(job));
        var unpaged = all.RootElement.GetProperty("dead_letters").EnumerateArray().Select(e => e.GetProperty("position").GetString()!).ToList();
        Assert.Equal(_seeded.Select(LogPosition.Format).Order(StringComparer.Ordinal), unpaged.Order(StringComparer.Ordinal));

        var positions = new List<string>();
        var url = "/v1/dead-letters?limit=1";
        while (true)
        {
            using var page = await GetJsonAsync(url);
            positions.AddRange(page.RootElement.GetProperty("dead_letters").EnumerateArray().Select(e => e.GetProperty("position").GetString()!));
            if (page.RootElement.GetProperty("next_cursor").GetString() is not { } cursor)
            {
                break;
            }
            url = "/v1/dead-letters?limit=1&cursor=" + Uri.EscapeDataString(cursor);
        }
        Assert.Equal(unpaged, positions);
    }

    [Fact]
    public async Task Show_GivesHeadersTheEventAndNoReplay()
    {
        await SeedAsync();

        using var json = await GetJsonAsync("/v1/dead-letters/" + Uri.EscapeDataString(LogPosition.Format(_seeded[0])));
        using var binary = await GetJsonAsync("/v1/dead-letters/" + Uri.EscapeDataString(LogPosition.Format(_seeded[2])));

        Assert.Equal("mm-1", json.RootElement.GetProperty("event").GetProperty("meta").GetProperty("id").GetString());
        Assert.Equal("permanent", json.RootElement.GetProperty("headers").GetProperty(CourierHeaders.FailureClass).GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("replay").ValueKind);
        Assert.Equal(Convert.ToBase64String([0x7b, 0xff, 0x00, 0x01]), binary.RootElement.GetProperty("event_base64").GetString());
    }

    [Fact]
    public async Task Replay_IsADryRunUnlessAskedFor_ThenReplays_AndTheStatusFollowsTheCopy()
    {
        await SeedAsync();
        var position = LogPosition.Format(_seeded[0]);

        using var dry = await PostJsonAsync(new { type = "massMessage", @class = "permanent" });
        Assert.True(dry.RootElement.GetProperty("dry_run").GetBoolean());
        Assert.Equal(1, dry.RootElement.GetProperty("replayed").GetInt32());
        Assert.Equal(JsonValueKind.Null, dry.RootElement.GetProperty("records")[0].GetProperty("to").ValueKind);
        Assert.DoesNotContain(await Host.Server.Log.ListTopicsAsync(Ct), t => t.Name == Host.Server.CourierOptions.Topics.ReplayLedgerTopic);

        using var done = await PostJsonAsync(new { positions = new[] { position }, dry_run = false });
        Assert.False(done.RootElement.GetProperty("dry_run").GetBoolean());
        var copy = done.RootElement.GetProperty("records")[0].GetProperty("to").GetString();
        Assert.StartsWith(Host.Server.CourierOptions.Topics.JobTopic("massMessage") + ":", copy, StringComparison.Ordinal);
        using (var unreplayed = await GetJsonAsync("/v1/dead-letters?unreplayed=true"))
        {
            Assert.Equal(2, unreplayed.RootElement.GetProperty("matching").GetInt64());
        }
        using (var twice = await PostJsonAsync(new { positions = new[] { position }, dry_run = false }))
        {
            Assert.Equal(0, twice.RootElement.GetProperty("replayed").GetInt32());
            Assert.Equal(1, twice.RootElement.GetProperty("already_replayed").GetInt32());
        }

        // The copy runs on this dispatcher (massMessage has no handler here, so it fails again): the status says so
        // and names the new dead letter, whose record carries the replayed position.
        JsonElement replay = default;
        await Eventually.TrueAsync(async () =>
        {
            using var shown = await GetJsonAsync("/v1/dead-letters/" + Uri.EscapeDataString(position));
            replay = shown.RootElement.GetProperty("replay").Clone();
            return replay.GetProperty("outcome").GetString() != "pending" && replay.GetProperty("dead_lettered_again_at").ValueKind == JsonValueKind.String;
        }, "the replayed copy ended and its dead letter was indexed", state: () => ValueTask.FromResult(replay.ToString()));
        Assert.Equal(copy, replay.GetProperty("replayed_to").GetString());
        Assert.Equal("dead_lettered", replay.GetProperty("outcome").GetString());
        using var again = await GetJsonAsync("/v1/dead-letters/" + Uri.EscapeDataString(replay.GetProperty("dead_lettered_again_at").GetString()!));
        Assert.Equal(position, again.RootElement.GetProperty("headers").GetProperty(CourierHeaders.ReplayOf).GetString());
    }

    [Theory]
    [InlineData("/v1/dead-letters?class=fatal", "class 'fatal' is not one of decode, retryable, permanent, backpressure")]
    [InlineData("/v1/dead-letters?limit=0", "limit must be a whole number from 1 to 500, got '0'")]
    [InlineData("/v1/dead-letters?limit=501", "limit must be a whole number from 1 to 500, got '501'")]
    [InlineData("/v1/dead-letters?cursor=abc", "cursor 'abc' is not one this server gave (use next_cursor of the previous page)")]
    [InlineData("/v1/dead-letters?unreplayed=maybe", "unreplayed must be true or false, got 'maybe'")]
    [InlineData("/v1/dead-letters/nonsense", "'nonsense' is not a position (topic:partition:offset, as the list gives it)")]
    [InlineData("/v1/dead-letters/mediawiki.job.x:0:1", "mediawiki.job.x:0:1 is not in the error topic courier.error")]
    public async Task BadQueries_Are400_SayingWhy(string url, string error)
    {
        using var response = await Host.Http.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await ErrorAsync(response));
    }

    [Theory]
    [InlineData("[1]", "the body must be a JSON object {\"type\", \"class\", \"positions\", \"dry_run\"}: not an object")]
    [InlineData("{\"typ\":\"a\"}", "unknown field 'typ' (expected type, class, positions, dry_run)")]
    [InlineData("{\"dry_run\":\"no\"}", "dry_run must be true or false")]
    [InlineData("{\"class\":\"x\"}", "class 'x' is not one of decode, retryable, permanent, backpressure")]
    [InlineData("{\"positions\":[\"x\"]}", "positions: '\"x\"' is not a position (topic:partition:offset)")]
    [InlineData("{\"positions\":[\"courier.retry.x:0:1\"]}", "courier.retry.x:0:1 is not in the error topic courier.error")]
    public async Task BadReplays_Are400_SayingWhy(string body, string error)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Host.Http.PostAsync("/v1/dead-letters/replay", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await ErrorAsync(response));
    }

    [Fact]
    public async Task Show_OfAMissingDeadLetter_Is404()
    {
        await SeedAsync();

        using var response = await Host.Http.GetAsync("/v1/dead-letters/courier.error:0:999", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no dead letter at courier.error:0:999", await ErrorAsync(response));
    }

    private async Task SeedAsync()
    {
        var topics = Host.Server.CourierOptions.Topics;
        _seeded = await DeadLetterSeed.SeedAsync(Host.Server.Log, topics);
        await Eventually.TrueAsync(async () =>
        {
            using var page = await GetJsonAsync("/v1/dead-letters?limit=1");
            return page.RootElement.GetProperty("matching").GetInt64() == 3;
        }, "the index has the 3 dead letters");
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var response = await Host.Http.GetAsync(url, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private async Task<JsonDocument> PostJsonAsync(object body)
    {
        using var response = await Host.Http.PostAsJsonAsync("/v1/dead-letters/replay", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("error").GetString();
    }

    private static List<string?> JobIds(JsonDocument page) =>
        [.. page.RootElement.GetProperty("dead_letters").EnumerateArray().Select(e => e.GetProperty("job_id").GetString())];
}

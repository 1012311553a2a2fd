using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// The intake column of docs/robustness.md's bad-input table, over real HTTP: each bad event posted beside a good one
/// is rejected with its reason and a clear error while the good one is appended (207), or accepted when the row is
/// one Courier takes (unknown fields, a skewed clock); a header bomb is refused before the intake runs.
/// </summary>
public sealed class IntakeBadInputTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestServer _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await TestServer.StartAsync(_dir.Path, cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>The row's event (BadBytes.Row), made from a valid refreshLinks event (demo schema 1.0.0), plus two rows of the intake's own.</summary>
    private static byte[] Row(string row)
    {
        var valid = IntakeEvent.RefreshLinks("Bad_" + row);
        return row switch
        {
            // The id is what the answer reports for an event that does not decode: before the fix, reading it threw
            // and the whole request was an empty 500 (found by fuzzing, fuzz/regressions/intake/).
            "non-UTF-8 id" => BadBytes.WithBytes(BadBytes.ReplaceValue(valid, "id", "\"ab|\""), [0xFF]),
            "unknown params_version" => Encoding.UTF8.GetBytes(BadBytes.ReplaceValue(valid, "params_version", "\"9.9.9\"")),
            "null event" => "null"u8.ToArray(),
            _ => BadBytes.Row(row, valid),
        };
    }

    [Theory]
    [InlineData("non-UTF-8", "malformed", "UTF-8")]
    [InlineData("non-UTF-8 id", "malformed", "UTF-8")]
    [InlineData("duplicate keys", "malformed", "$.database: duplicate key")]
    [InlineData("wrong types", "malformed", "$.database: must be a string, got number")]
    [InlineData("enormous delay_until", "delay_too_far", "$.delay_until: 9999-12-31T23:59:59Z is")]
    [InlineData("unknown params_version", "unknown_version", "9.9.9")]
    [InlineData("null event", "malformed", "object")]
    public async Task Intake_RejectsTheBadEvent_WithItsReason_AndAppendsTheGoodOneBesideIt(string row, string reason, string error)
    {
        var good = IntakeEvent.RefreshLinks("Good_" + row);
        byte[] body = [(byte)'[', .. Row(row), (byte)',', .. Encoding.UTF8.GetBytes(good), (byte)']'];

        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.MultiStatus, status);
        var results = answer.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("rejected", results[0].GetProperty("status").GetString());
        Assert.Equal(reason, results[0].GetProperty("reason").GetString());
        Assert.Contains(error, results[0].GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("accepted", results[1].GetProperty("status").GetString());
        Assert.Single(await TopicReader.ReadAllAsync(_host.Server.Log, "mediawiki.job." + DemoJobTypes.RefreshLinks));
    }

    [Theory]
    [InlineData("unknown fields")]
    [InlineData("dt far future")]
    [InlineData("dt far past")]
    public async Task Intake_AcceptsWhatCourierTakes_AsPosted(string row)
    {
        var posted = Row(row);

        var (status, answer) = await PostAsync(posted);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        var record = Assert.Single(await TopicReader.ReadAllAsync(_host.Server.Log, "mediawiki.job." + DemoJobTypes.RefreshLinks));
        Assert.Equal(posted, record.Value.ToArray());
    }

    /// <summary>
    /// Nesting deeper than the codec's 64 levels cannot be split into events either (the splitter reads 66 deep): the
    /// whole body is refused with the depth in the error, before any event is checked or appended.
    /// </summary>
    [Fact]
    public async Task Intake_RefusesADeeplyNestedBody_400_NamingTheDepth()
    {
        var (status, answer) = await PostAsync([(byte)'[', .. Row("deeply nested"), (byte)',', .. Encoding.UTF8.GetBytes(IntakeEvent.RefreshLinks("Good")), (byte)']']);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("depth", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await TopicReader.ReadAllAsync(_host.Server.Log, "mediawiki.job." + DemoJobTypes.RefreshLinks));
    }

    [Fact]
    public async Task Intake_RefusesAHeaderBomb_431_AndAppendsNothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/events", UriKind.Relative));
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(IntakeEvent.RefreshLinks("Bomb")));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        for (var i = 0; i < 2000; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Bomb-{i}", "x");
        }

        using var response = await _host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(await TopicReader.ReadAllAsync(_host.Server.Log, "mediawiki.job." + DemoJobTypes.RefreshLinks));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _host.Http.PostAsync(new Uri("v1/events", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(text.Length > 0, $"an empty {(int)response.StatusCode} answer");
        return (response.StatusCode, JsonElement.Parse(text));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Control;

/// <summary><c>POST /v1/types/{type}/pause|resume</c> on <c>courier serve</c>: the control record, applied by the dispatcher.</summary>
public sealed class TypeControlEndpointsTests() : ServedControlTests("dispatcher:\n  rules:\n    massMessage: {}\n")
{
    [Fact]
    public async Task PauseAndResume_AnswerTheRecord_AndTheDispatcherAppliesIt()
    {
        using var pause = await Host.Http.PostAsJsonAsync("/v1/types/massMessage/pause", new { reason = "bad release", by = "console" }, Ct);

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        using (var json = JsonDocument.Parse(await pause.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal("massMessage", json.RootElement.GetProperty("type").GetString());
            Assert.True(json.RootElement.GetProperty("paused").GetBoolean());
            Assert.Equal("console", json.RootElement.GetProperty("by").GetString());
        }
        await Eventually.TrueAsync(() => ValueTask.FromResult(Stats("massMessage").Paused), "the dispatcher applied the pause");
        Assert.Equal("bad release (by console)", Stats("massMessage").PauseReason);

        using var resume = await Host.Http.PostAsync("/v1/types/massMessage/resume", null, Ct);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await Eventually.TrueAsync(() => ValueTask.FromResult(!Stats("massMessage").Paused), "the dispatcher applied the resume");
    }

    [Fact]
    public async Task Pause_OfAnUnknownType_Is404_NamingTheKnownOnes()
    {
        using var response = await Host.Http.PostAsync("/v1/types/noSuchType/pause", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("unknown job type 'noSuchType'", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("massMessage", json.RootElement.GetProperty("known").EnumerateArray().Select(e => e.GetString()));
    }
}

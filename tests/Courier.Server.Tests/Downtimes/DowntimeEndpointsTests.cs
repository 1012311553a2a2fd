using System.Net;
using System.Net.Http.Json;
using Courier.Server.Downtimes;
using Courier.Server.OpenApi;
using Courier.Server.Tests.Control;
using Xunit;

namespace Courier.Server.Tests.Downtimes;

/// <summary><c>GET|POST /v1/downtimes</c> and <c>POST /v1/downtimes/cancel</c> on a running dispatcher service, on its data directory's store.</summary>
public sealed class DowntimeEndpointsTests() : ServedControlTests("dispatcher:\n  rules:\n    massMessage: {}\n")
{
    [Fact]
    public async Task AddListCancel_WorkOnTheServicesStore()
    {
        using var added = await Host.Http.PostAsJsonAsync("/v1/downtimes",
            new { service = "courier", hosts = "mw13*", duration = "2h", comment = "deploy 1.2.3", by = "console" }, Ct);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var answer = (await added.Content.ReadFromJsonAsync<DowntimeAdded>(Ct))!;
        var store = DowntimeStore.In(Host.Server.Data);
        var stored = Assert.Single(store.List(includeEnded: true));
        Assert.Equal((stored.Id, stored.GroupId, "^(mw13.*)(:\\d+)?$"), (answer.DowntimeId, answer.GroupId, answer.HostsRegex));
        Assert.Equal(("console", TimeSpan.FromHours(2)), (stored.CreatedBy, stored.EndsAt - stored.StartsAt));
        Assert.Null(answer.SilenceId);

        var listed = (await Host.Http.GetFromJsonAsync<DowntimeListing>("/v1/downtimes", Ct))!;
        Assert.Equal(stored.Id, Assert.Single(listed.Downtimes).Id);
        Assert.Equal("active", listed.Downtimes[0].State);
        Assert.Null(listed.Alertmanager);

        using var dryRun = await Host.Http.PostAsJsonAsync("/v1/downtimes/cancel", new { comment = "deploy 1.2.3", dry_run = true }, Ct);
        var wouldCancel = (await dryRun.Content.ReadFromJsonAsync<DowntimeCancellation>(Ct))!;
        Assert.True(wouldCancel.DryRun);
        Assert.Empty(wouldCancel.Cancelled);
        Assert.Equal(stored.Id, Assert.Single(wouldCancel.Downtimes).Id);
        Assert.Single(store.List(includeEnded: false));

        using var cancel = await Host.Http.PostAsJsonAsync("/v1/downtimes/cancel", new { comment = "deploy \\d\\.2\\.3", regex = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = (await cancel.Content.ReadFromJsonAsync<DowntimeCancellation>(Ct))!;
        Assert.Equal([stored.Id], cancelled.Cancelled);
        Assert.Equal("Cancelled 1 store downtime and 0 Alertmanager silences with the comment matching /deploy \\d\\.2\\.3/.", cancelled.Message);
        Assert.Empty(store.List(includeEnded: false));
        Assert.Empty((await Host.Http.GetFromJsonAsync<DowntimeListing>("/v1/downtimes", Ct))!.Downtimes);
        Assert.Equal("cancelled", Assert.Single((await Host.Http.GetFromJsonAsync<DowntimeListing>("/v1/downtimes?all=true", Ct))!.Downtimes).State);

        using var again = await Host.Http.PostAsJsonAsync("/v1/downtimes/cancel", new { comment = "deploy 1.2.3" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.StartsWith("no pending or active downtime has the comment \"deploy 1.2.3\"", (await again.Content.ReadFromJsonAsync<ApiError>(Ct))!.Error,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"service":"courier","hosts":"mw1*","duration":"30s","comment":"x"}""", "downtime not added: the duration 0.01 h is under the minimum of 1 minute")]
    [InlineData("""{"service":"courier","hosts":"mw1*","duration":"8d","comment":"x"}""", "over the maximum of 7 days (allowed with --force)")]
    [InlineData("""{"service":"courier","hosts":"mw1,","duration":"1h","comment":"x"}""", "has an empty item")]
    [InlineData("""{"service":"courier","hosts":"mw1*","duration":"2 hours","comment":"x"}""", "duration: '2 hours' is not a duration")]
    [InlineData("""{"service":"courier","hosts":"mw1*","duration":"1h","comment":"x","start":"2001-01-01T00:00:00Z"}""", "start: 2001-01-01 00:00:00 UTC is in the past")]
    [InlineData("""{"service":"courier","hosts":"mw1*","duration":"1h"}""", "the comment is empty")]
    [InlineData("not json", "the body must be a JSON object")]
    public async Task Add_RefusesWhatTheCommandRefuses_With400AndTheReason(string body, string message)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Host.Http.PostAsync("/v1/downtimes", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<ApiError>(Ct))!.Error, StringComparison.Ordinal);
        Assert.Empty(DowntimeStore.In(Host.Server.Data).List(includeEnded: true));
    }

    [Fact]
    public async Task Add_With8DaysAndForce_IsAccepted()
    {
        using var response = await Host.Http.PostAsJsonAsync("/v1/downtimes",
            new { service = "courier", hosts = "mw1*", duration = "8d", comment = "long", force = true }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("http ", Assert.Single(DowntimeStore.In(Host.Server.Data).List(includeEnded: false)).CreatedBy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"comment":"T9 (","regex":true}""", "comment: 'T9 (' is not a regular expression")]
    [InlineData("""{"comment":" "}""", "comment is empty")]
    public async Task Cancel_RefusesABadComment_With400(string body, string message)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Host.Http.PostAsync("/v1/downtimes/cancel", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, (await response.Content.ReadFromJsonAsync<ApiError>(Ct))!.Error, StringComparison.Ordinal);
    }
}

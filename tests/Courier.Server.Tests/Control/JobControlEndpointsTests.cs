using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Control;

/// <summary><c>POST /v1/jobs/{id}/cancel</c> on <c>courier serve</c>: the cancel record, applied by the dispatcher.</summary>
public sealed class JobControlEndpointsTests() : ServedControlTests("params_schemas:\n  require_schemas: false\ndispatcher:\n  cancel_ttl: 1d\n  rules:\n    demoJob: {}\n")
{
    [Fact]
    public async Task Cancel_OfAnIdNotRunningHere_Is202Recorded_AndAJobWithThatIdReachedLaterEndsCancelled()
    {
        var id = Guid.NewGuid().ToString();
        using var response = await Host.Http.PostAsJsonAsync($"/v1/jobs/{id}/cancel", new { reason = "wrong page", by = "console" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)))
        {
            var root = json.RootElement;
            Assert.False(root.GetProperty("ran_here").GetBoolean());
            Assert.Equal(id, root.GetProperty("record").GetProperty("id").GetString());
            Assert.Equal("console", root.GetProperty("record").GetProperty("by").GetString());
            Assert.StartsWith($"Recorded the cancellation of job {id}; will cancel it if it is reached within 1d",
                root.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await Host.Server.Client.EnqueueAsync(new JobRequest { Type = "demoJob", Database = "testwiki", Id = id, Params = new { } }, Ct);
        await Eventually.TrueAsync(() => ValueTask.FromResult(Stats("demoJob").Cancelled == 1), "the job ended cancelled when reached");
        Assert.Equal(0, Stats("demoJob").Succeeded + Stats("demoJob").DeadLettered);
    }

    [Fact]
    public async Task Cancel_WithABodyThatIsNotJson_Is400()
    {
        using var content = new StringContent("not json", System.Text.Encoding.UTF8, "application/json");
        using var response = await Host.Http.PostAsync("/v1/jobs/job-1/cancel", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

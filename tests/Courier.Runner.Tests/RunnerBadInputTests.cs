using System.Net;
using System.Text;
using Courier.Runner.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>
/// The runner column of docs/robustness.md's bad-input table, over real HTTP with signed requests: a body that is not
/// a job event is a 400 <c>decode</c> answer with the codec's error and no handler call; what the codec takes (unknown
/// fields, a skewed <c>meta.dt</c>, any <c>delay_until</c>: holding delays is the dispatcher's job) runs; a header
/// bomb is refused by the host (431) before the endpoint.
/// </summary>
public sealed class RunnerBadInputTests
{
    private static byte[] Row(string row) => BadBytes.Row(row, Encoding.UTF8.GetString(TestJobs.Event("ok")));

    [Theory]
    [InlineData("empty", "empty")]
    [InlineData("truncated", "")]
    [InlineData("non-UTF-8", "UTF-8")]
    [InlineData("deeply nested", "depth")]
    [InlineData("duplicate keys", "$.database: duplicate key")]
    [InlineData("wrong types", "$.database: must be a string, got number")]
    public async Task Runner_Answers400Decode_WithTheCodecsError_AndRunsNothing(string row, string error)
    {
        await using var runner = await TestRunner.StartAsync();
        var body = Row(row);

        using var response = await runner.PostAsync(body);

        var answer = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.Contains(error, answer.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new JobEventCodec(new CourierOptions()).Decode(body).Error, answer.Message);
        Assert.Empty(runner.Handler.Calls);
    }

    [Theory]
    [InlineData("unknown fields")]
    [InlineData("dt far future")]
    [InlineData("enormous delay_until")]
    public async Task Runner_RunsWhatTheCodecTakes(string row)
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(Row(row));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(runner.Handler.Calls);
    }

    [Fact]
    public async Task Runner_RefusesAHeaderBomb_431_AndRunsNothing()
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"));
        for (var i = 0; i < 2000; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-Bomb-{i}", "x");
        }

        using var response = await runner.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(runner.Handler.Calls);
    }
}

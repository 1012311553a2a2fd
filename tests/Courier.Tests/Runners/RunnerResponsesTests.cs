using System.Net.Http.Headers;
using System.Text;
using Courier.Runners;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>Edges of reading an answer that the loopback tests do not reach cheaply.</summary>
public sealed class RunnerResponsesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(30);

    [Fact]
    public void RetryAfter_ReadsSecondsAndDates_AndFallsBackWhenAbsent()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RunnerResponses.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), Now, Fallback));
        Assert.Equal(TimeSpan.FromSeconds(90), RunnerResponses.RetryAfter(new RetryConditionHeaderValue(Now.AddSeconds(90)), Now, Fallback));
        Assert.Equal(Fallback, RunnerResponses.RetryAfter(null, Now, Fallback));
    }

    [Fact]
    public void RetryAfter_OfZeroOrAPastDate_MeansSoon_NotTheDispatchersDefault()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1), RunnerResponses.RetryAfter(new RetryConditionHeaderValue(TimeSpan.Zero), Now, Fallback));
        Assert.Equal(TimeSpan.FromMilliseconds(1), RunnerResponses.RetryAfter(new RetryConditionHeaderValue(Now.AddMinutes(-1)), Now, Fallback));
    }

    [Fact]
    public void Courier_KeepsTheStatusRule_WhenTheBodyIsNotJsonOrNamesNoKnownClass()
    {
        var text = RunnerResponses.Courier("http://r/x", 404, "Not Found", "<html>no such path</html>"u8, Fallback);
        Assert.Equal(FailureClass.Decode, text.Failure);
        Assert.Equal("runner http://r/x: 404 <html>no such path</html>", text.Message);

        var unknown = RunnerResponses.Courier("http://r/x", 502, "Bad Gateway", """{"error_class":"meltdown","message":"upstream\ngone"}"""u8, Fallback);
        Assert.Equal(FailureClass.Retryable, unknown.Failure);
        Assert.Equal("runner http://r/x: 502 upstream gone", unknown.Message);

        var empty = RunnerResponses.Courier("http://r/x", 418, "I'm a teapot", [], Fallback);
        Assert.Equal(FailureClass.Permanent, empty.Failure);
        Assert.Equal("runner http://r/x: 418 I'm a teapot", empty.Message);
    }

    [Fact]
    public void Courier_ReadsTheReason_EvenFromABodyCutOffAtTheBound()
    {
        var body = Encoding.UTF8.GetBytes("""{"status":500,"error_class":"decode","message":"params.title: not a string","trace":" """ + new string('x', 100));

        var result = RunnerResponses.Courier("http://r/x", 500, null, body, Fallback);

        Assert.Equal(FailureClass.Decode, result.Failure);
        Assert.Equal("runner http://r/x: 500 params.title: not a string", result.Message);
    }
}

using Courier.Server.Downtimes;
using Xunit;

namespace Courier.Server.Tests.Downtimes;

public sealed class DowntimeRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("", "mw1", "c", 60, "service is empty")]
    [InlineData("s", "mw1", " ", 60, "comment is empty")]
    [InlineData("s", "", "c", 60, "host pattern is empty")]
    [InlineData("s", "mw1,,mw2", "c", 60, "empty item")]
    [InlineData("s", "mw1", "c", 59, "under the minimum")]
    [InlineData("s", "mw1", "c", 7 * 86400 + 1, "over the maximum of 7 days")]
    public void Check_RefusesWhatIsNotADowntime(string service, string hosts, string comment, int seconds, string message)
    {
        var request = Request(service, hosts, comment, TimeSpan.FromSeconds(seconds));

        var e = Assert.ThrowsAny<ArgumentException>(() => request.Check(Now, force: false));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TakesAWeekOrMoreOnlyWhenForced()
    {
        Request("s", "mw1", "c", TimeSpan.FromDays(7)).Check(Now, force: false);
        Request("s", "mw1", "c", TimeSpan.FromDays(30)).Check(Now, force: true);
    }

    [Fact]
    public void Silence_MatchesTheServiceExactly_AndTheHostsByTheirRegex_CarryingTheGroupInItsCreator()
    {
        var silence = Silence.For(Request("courier", "mw13*,db1001", "T1 reboot", TimeSpan.FromHours(2)), "0123456789ab");

        Assert.Equal(
            [new SilenceMatcher("service", "courier", false), new SilenceMatcher("instance", @"^(mw13.*|db1001)(:\d+)?$", true)],
            silence.Matchers);
        Assert.Equal("ops@host courier-downtime:0123456789ab", silence.CreatedBy);
        Assert.Equal("0123456789ab", silence.GroupId);
        Assert.Equal("T1 reboot", silence.Comment);
        Assert.Equal(Now + TimeSpan.FromHours(2), silence.EndsAt);
    }

    [Fact]
    public void CommentMatch_ExactIsOrdinal_RegexMustMatchTheWholeComment()
    {
        Assert.True(CommentMatch.Exact("T1 reboot").Matches("T1 reboot"));
        Assert.False(CommentMatch.Exact("T1 reboot").Matches("T1 Reboot"));
        Assert.False(CommentMatch.Exact("T1 reboot").Matches("T1 reboot 2"));
        Assert.True(CommentMatch.FullRegex("T1 .*").Matches("T1 reboot"));
        Assert.False(CommentMatch.FullRegex("reboot").Matches("T1 reboot"));
        Assert.False(CommentMatch.FullRegex("a|T1 reboot x").Matches("a T1 reboot x"));
        Assert.ThrowsAny<ArgumentException>(() => CommentMatch.FullRegex("("));
    }

    private static DowntimeRequest Request(string service, string hosts, string comment, TimeSpan duration) => new()
    {
        Service = service,
        Hosts = hosts,
        StartsAt = Now,
        Duration = duration,
        Comment = comment,
        CreatedBy = "ops@host",
    };
}

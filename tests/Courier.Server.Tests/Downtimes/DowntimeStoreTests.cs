using Courier.Files;
using Courier.Server.Downtimes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Server.Tests.Downtimes;

public sealed class DowntimeStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_GivesIdsAndKeepsTheRequest_AndTheDowntimeIsActiveWithinItsSpan()
    {
        using var dir = new TempDirectory("downtimes");
        var time = new FakeTimeProvider(Now);
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName), time);

        var added = store.Add(Request("mw13*,db1001", "T1234 reimage", Now, TimeSpan.FromHours(2)));

        Assert.Matches("^[0-9a-f]{12}$", added.Id);
        Assert.Matches("^[0-9a-f]{12}$", added.GroupId);
        Assert.Equal(("courier", "mw13*,db1001", "T1234 reimage", Now + TimeSpan.FromHours(2)),
            (added.Service, added.Hosts, added.Comment, added.EndsAt));
        Assert.Equal([added.Id], store.Active(Now).Select(d => d.Id));
        Assert.Empty(store.Active(Now + TimeSpan.FromHours(2)));
        Assert.Empty(store.Active(Now - TimeSpan.FromSeconds(1)));
        Assert.Equal(added, store.List(includeEnded: false).Single());
    }

    [Fact]
    public void Add_KeepsAGivenGroupId()
    {
        using var dir = new TempDirectory("downtimes");
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName), new FakeTimeProvider(Now));

        var added = store.Add(Request("mw1", "c", Now, TimeSpan.FromHours(1)) with { GroupId = "0123456789ab" });

        Assert.Equal("0123456789ab", added.GroupId);
    }

    [Fact]
    public void Cancel_EndsTheDowntimeNow_KeepsTheRow_AndLeavesOthers()
    {
        using var dir = new TempDirectory("downtimes");
        var time = new FakeTimeProvider(Now);
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName), time);
        var cancelled = store.Add(Request("mw1", "reboot", Now, TimeSpan.FromHours(2)));
        var pending = store.Add(Request("mw2", "reboot", Now + TimeSpan.FromHours(1), TimeSpan.FromHours(2)));
        var kept = store.Add(Request("mw3", "other", Now, TimeSpan.FromHours(2)));
        time.Advance(TimeSpan.FromMinutes(10));

        var ids = store.Cancel([cancelled.Id, pending.Id]);

        Assert.Equal([cancelled.Id, pending.Id], ids);
        Assert.Equal([kept.Id], store.Active(time.GetUtcNow()).Select(d => d.Id));
        Assert.Equal([kept.Id], store.List(includeEnded: false).Select(d => d.Id));
        var all = store.List(includeEnded: true).ToDictionary(d => d.Id);
        Assert.Equal(3, all.Count);
        Assert.Equal(time.GetUtcNow(), all[cancelled.Id].EndsAt);
        Assert.Equal(DowntimeState.Cancelled, all[cancelled.Id].StateAt(time.GetUtcNow()));
        // A pending downtime cancelled ends at its start: it never takes effect.
        Assert.Equal(pending.StartsAt, all[pending.Id].EndsAt);
        Assert.DoesNotContain(store.Active(pending.StartsAt + TimeSpan.FromMinutes(1)), d => d.Id == pending.Id);
        Assert.Empty(store.Cancel([cancelled.Id]));
    }

    [Fact]
    public void Matching_TakesOnlyNotEndedDowntimesWithTheComment()
    {
        using var dir = new TempDirectory("downtimes");
        var time = new FakeTimeProvider(Now);
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName), time);
        var first = store.Add(Request("mw1", "T1 reboot", Now, TimeSpan.FromHours(2)));
        store.Add(Request("mw2", "T1 reboot", Now, TimeSpan.FromMinutes(5)));
        store.Add(Request("mw3", "T1 reboot later", Now, TimeSpan.FromHours(2)));
        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal([first.Id], store.Matching(CommentMatch.Exact("T1 reboot")).Select(d => d.Id));
        Assert.Equal(2, store.Matching(CommentMatch.FullRegex("T1 reboot.*")).Count);
        Assert.Empty(store.Matching(CommentMatch.FullRegex("T1")));
    }

    [Fact]
    public void Add_DeletesRowsEndedBeyondTheRetention()
    {
        using var dir = new TempDirectory("downtimes");
        var time = new FakeTimeProvider(Now);
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName), time);
        var old = store.Add(Request("mw1", "old", Now, TimeSpan.FromHours(1)));
        var recent = store.Add(Request("mw2", "recent", Now + TimeSpan.FromDays(2), TimeSpan.FromHours(1)));
        time.Advance(DowntimeStore.Retention + TimeSpan.FromDays(1));

        var added = store.Add(Request("mw3", "new", time.GetUtcNow(), TimeSpan.FromHours(1)));

        Assert.Equal([recent.Id, added.Id], store.List(includeEnded: true).Select(d => d.Id));
        Assert.DoesNotContain(old.Id, store.List(includeEnded: true).Select(d => d.Id));
    }

    [Fact]
    public void TheFileIsPrivate_AndTwoStoresOnOneFileSeeEachOthersWrites()
    {
        using var dir = new TempDirectory("downtimes");
        var path = dir.File(DowntimeStore.FileName);
        var one = DowntimeStore.Open(path, new FakeTimeProvider(Now));
        var other = DowntimeStore.Open(path, new FakeTimeProvider(Now));

        Parallel.For(0, 20, i => (i % 2 == 0 ? one : other).Add(Request($"mw{i}", "parallel", Now, TimeSpan.FromHours(1))));

        Assert.Equal(20, one.Active(Now).Count);
        Assert.Equal(20, other.Cancel(one.Matching(CommentMatch.Exact("parallel")).Select(d => d.Id)).Count);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
        }
    }

    private static DowntimeRequest Request(string hosts, string comment, DateTimeOffset start, TimeSpan duration) => new()
    {
        Service = "courier",
        Hosts = hosts,
        StartsAt = start,
        Duration = duration,
        Comment = comment,
        CreatedBy = "ops@host",
    };
}

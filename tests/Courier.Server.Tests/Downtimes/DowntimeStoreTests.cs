using Courier.Files;
using Courier.Server.Downtimes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Server.Tests.Downtimes;

public sealed class DowntimeStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new("downtimes");
    private readonly FakeTimeProvider _time = new(Now);
    private readonly DowntimeStore _store;

    public DowntimeStoreTests() => _store = DowntimeStore.Open(_dir.File(DowntimeStore.FileName), _time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Add_GivesIdsAndKeepsTheRequest_AndTheDowntimeIsActiveWithinItsSpan()
    {

        var added = _store.Add(Request("mw13*,db1001", "T1234 reimage", Now, TimeSpan.FromHours(2)));

        Assert.Matches("^[0-9a-f]{12}$", added.Id);
        Assert.Matches("^[0-9a-f]{12}$", added.GroupId);
        Assert.Equal(("courier", "mw13*,db1001", "T1234 reimage", Now + TimeSpan.FromHours(2)),
            (added.Service, added.Hosts, added.Comment, added.EndsAt));
        Assert.Equal([added.Id], _store.Active(Now).Select(d => d.Id));
        Assert.Empty(_store.Active(Now + TimeSpan.FromHours(2)));
        Assert.Empty(_store.Active(Now - TimeSpan.FromSeconds(1)));
        Assert.Equal(added, _store.List(includeEnded: false).Single());
    }

    [Fact]
    public void Add_KeepsAGivenGroupId()
    {

        var added = _store.Add(Request("mw1", "c", Now, TimeSpan.FromHours(1)) with { GroupId = "0123456789ab" });

        Assert.Equal("0123456789ab", added.GroupId);
    }

    [Fact]
    public void Cancel_EndsTheDowntimeNow_KeepsTheRow_AndLeavesOthers()
    {
        var cancelled = _store.Add(Request("mw1", "reboot", Now, TimeSpan.FromHours(2)));
        var pending = _store.Add(Request("mw2", "reboot", Now + TimeSpan.FromHours(1), TimeSpan.FromHours(2)));
        var kept = _store.Add(Request("mw3", "other", Now, TimeSpan.FromHours(2)));
        _time.Advance(TimeSpan.FromMinutes(10));

        var ids = _store.Cancel([cancelled.Id, pending.Id]);

        Assert.Equal([cancelled.Id, pending.Id], ids);
        Assert.Equal([kept.Id], _store.Active(_time.GetUtcNow()).Select(d => d.Id));
        Assert.Equal([kept.Id], _store.List(includeEnded: false).Select(d => d.Id));
        var all = _store.List(includeEnded: true).ToDictionary(d => d.Id);
        Assert.Equal(3, all.Count);
        Assert.Equal(_time.GetUtcNow(), all[cancelled.Id].EndsAt);
        Assert.Equal(DowntimeState.Cancelled, all[cancelled.Id].StateAt(_time.GetUtcNow()));
        // A pending downtime cancelled ends at its start: it never takes effect.
        Assert.Equal(pending.StartsAt, all[pending.Id].EndsAt);
        Assert.DoesNotContain(_store.Active(pending.StartsAt + TimeSpan.FromMinutes(1)), d => d.Id == pending.Id);
        Assert.Empty(_store.Cancel([cancelled.Id]));
    }

    [Fact]
    public void Matching_TakesOnlyNotEndedDowntimesWithTheComment()
    {
        var first = _store.Add(Request("mw1", "T1 reboot", Now, TimeSpan.FromHours(2)));
        _store.Add(Request("mw2", "T1 reboot", Now, TimeSpan.FromMinutes(5)));
        _store.Add(Request("mw3", "T1 reboot later", Now, TimeSpan.FromHours(2)));
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal([first.Id], _store.Matching(CommentMatch.Exact("T1 reboot")).Select(d => d.Id));
        Assert.Equal(2, _store.Matching(CommentMatch.FullRegex("T1 reboot.*")).Count);
        Assert.Empty(_store.Matching(CommentMatch.FullRegex("T1")));
    }

    [Fact]
    public void Add_DeletesRowsEndedBeyondTheRetention()
    {
        var old = _store.Add(Request("mw1", "old", Now, TimeSpan.FromHours(1)));
        var recent = _store.Add(Request("mw2", "recent", Now + TimeSpan.FromDays(2), TimeSpan.FromHours(1)));
        _time.Advance(DowntimeStore.Retention + TimeSpan.FromDays(1));

        var added = _store.Add(Request("mw3", "new", _time.GetUtcNow(), TimeSpan.FromHours(1)));

        Assert.Equal([recent.Id, added.Id], _store.List(includeEnded: true).Select(d => d.Id));
        Assert.DoesNotContain(old.Id, _store.List(includeEnded: true).Select(d => d.Id));
    }

    [Fact]
    public void TheFileIsPrivate_AndTwoStoresOnOneFileSeeEachOthersWrites()
    {
        var path = _store.Path;
        var one = _store;
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

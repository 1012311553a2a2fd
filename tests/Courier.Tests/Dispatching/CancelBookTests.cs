using System.Text;
using Courier.Dispatching.Cancelling;
using Courier.Dispatching.Control;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>The in-memory cancellations of a dispatcher (<see cref="CancelBook"/>) and the control topic's cancel records.</summary>
public sealed class CancelBookTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ACancellation_IsFoundUntilItExpires_AndAnExpiredOneIsNotKept()
    {
        var book = new CancelBook(_time);
        Assert.True(book.Add(Record("job-1", ttlSeconds: 60)));
        Assert.False(book.Add(Record("job-1", ttlSeconds: 60)), "the same record read again is not new");
        Assert.Equal("job-1", book.Find("job-1")?.Id);
        Assert.Null(book.Find("job-2"));

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(book.Find("job-1"));
        Assert.False(book.Add(Record("job-3", ttlSeconds: 60, age: TimeSpan.FromSeconds(61))));
        Assert.Null(book.Find("job-3"));
    }

    [Fact]
    public void PastItsBound_TheOldestCancellationIsForgotten_AndCounted()
    {
        var book = new CancelBook(_time);
        for (var i = 0; i <= CancelBook.Capacity; i++)
        {
            book.Add(Record($"job-{i}", ttlSeconds: 3600));
        }
        Assert.Null(book.Find("job-0"));
        Assert.NotNull(book.Find("job-1"));
        Assert.NotNull(book.Find($"job-{CancelBook.Capacity}"));
        Assert.Equal(1, book.Forgotten);
    }

    [Fact]
    public void CancelRecords_RoundTrip_AndOnlyTheirOwnKeysAreRead()
    {
        var record = Record("job-1", ttlSeconds: 7 * 86_400);
        var read = CancelRecord.Read(record.Key, record.ToJson());
        Assert.Equal(record, read);
        Assert.Equal("7d", read!.TtlText);
        Assert.Null(CancelRecord.Read("cancel/job-2", record.ToJson()));
        Assert.Null(CancelRecord.Read(record.Key, []));
        Assert.Null(CancelRecord.Read(record.Key, Encoding.UTF8.GetBytes("not json")));
        Assert.Null(CancelRecord.Read("pause/alpha", record.ToJson()));
        // A reader of pauses alone skips a cancel record: it is not a pause key.
        Assert.Null(ControlRecord.Read(record.Key, record.ToJson(), _time.GetUtcNow()));
    }

    private CancelRecord Record(string id, long ttlSeconds, TimeSpan age = default) =>
        new(id, "test", "ops@example", _time.GetUtcNow() - age, ttlSeconds);
}

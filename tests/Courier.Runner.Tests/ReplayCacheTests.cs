using Courier.Runner.Authentication;
using Courier.Runner.Tests.Support;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>The replay cache alone: admission, expiry exactly when the window would refuse the timestamp, the cap.</summary>
public sealed class ReplayCacheTests
{
    private static readonly string A = "v2=" + new string('a', 64);
    private static readonly string B = "v2=" + new string('b', 64);

    [Fact]
    public void TryAdd_AdmitsASignatureOnce_AndForgetsItWhenItsTimestampLeavesTheWindow()
    {
        var clock = TestClock.Fixed();
        var cache = new ReplayCache(10, TimeSpan.FromSeconds(300), clock);
        var signedAt = TestClock.Now.ToUnixTimeSeconds();

        Assert.Equal(ReplayAdmission.Added, cache.TryAdd(A, signedAt, out _, out _));
        clock.Advance(TimeSpan.FromSeconds(300)); // the window still accepts the timestamp (300 s): still a replay
        Assert.Equal(ReplayAdmission.Replayed, cache.TryAdd(A, signedAt, out var acceptedAt, out _));
        Assert.Equal(TestClock.Now, acceptedAt);
        Assert.Equal(TestClock.Now, cache.AcceptedAt(A));

        clock.Advance(TimeSpan.FromSeconds(1)); // 301 s: the window refuses it now, so the cache lets it go
        Assert.Equal(ReplayAdmission.Added, cache.TryAdd(B, signedAt + 301, out _, out _));
        Assert.Null(cache.AcceptedAt(A));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryAdd_RefusesNewSignaturesWhenFull_NeverEvictingALiveOne()
    {
        var clock = TestClock.Fixed();
        var cache = new ReplayCache(1, TimeSpan.FromSeconds(300), clock);
        var signedAt = TestClock.Now.ToUnixTimeSeconds();
        cache.TryAdd(A, signedAt, out _, out _);

        Assert.Equal(ReplayAdmission.Full, cache.TryAdd(B, signedAt, out _, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(301), retryAfter);
        Assert.Equal(ReplayAdmission.Replayed, cache.TryAdd(A, signedAt, out _, out _));
    }

    [Fact]
    public void TheCapacityHoldsExactlyAcrossShards_AndExpiredEntriesInOtherShardsFreeTheirPlaces()
    {
        var clock = TestClock.Fixed();
        var cache = new ReplayCache(20, TimeSpan.FromSeconds(300), clock);
        var signedAt = TestClock.Now.ToUnixTimeSeconds();
        // 64 distinct keys spread over every shard (the low bits of the key pick the shard).
        var signatures = Enumerable.Range(0, 64).Select(i => "v2=" + Convert.ToHexStringLower(BitConverter.GetBytes((long)i)) + new string('0', 48)).ToArray();

        var admissions = signatures.Select(s => cache.TryAdd(s, signedAt, out _, out _)).ToArray();

        Assert.Equal(20, admissions.Count(a => a == ReplayAdmission.Added));
        Assert.Equal(44, admissions.Count(a => a == ReplayAdmission.Full));
        Assert.Equal(20, cache.Count);

        // Once the first twenty leave the window, the next request's purge of every shard frees all their places.
        clock.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal(ReplayAdmission.Added, cache.TryAdd(signatures[63], signedAt + 301, out _, out _));
        Assert.Equal(1, cache.Count);
    }
}

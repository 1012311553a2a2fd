using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Xunit;

namespace Courier.Testing;

public abstract partial class DispatcherEngineTests
{
    /// <summary>
    /// Any byte sequence in a job topic ends as a decode dead letter with a reason, never a crash, a skip or a stall:
    /// a few hundred of them (seeded random bytes, token soup, broken mutations of a valid event, and one of each
    /// named bad input, empty included) in one partition, with valid but odd jobs among them (clock-skewed meta.dt,
    /// unknown fields, a header bomb) and a valid job last. Every bad one is dead-lettered decode with its bytes and a
    /// message, every good one succeeds (the last one too: the partition did not stall), and the counts reconcile. A
    /// meta.dt in the future (the producer's clock) records a start delay of 0, not a negative one.
    /// </summary>
    [Fact]
    public async Task Dispatcher_DeadLettersAnyUndecodableBytes_AsDecode_AndThePartitionKeepsFlowing()
    {
        // Without its breaker: a run of hundreds of decode failures opens it and pauses the type (by design: the 2019
        // incident's failure, held rather than dead-lettered job after job; DispatcherEngineTests.Breaker). This test
        // is about what each record ends as.
        var rule = Rule("alpha", limit: 0);
        rule.Breaker = BreakerPolicy.Off;
        await using var h = CreateHarness(Options(rule), partitions: 1);
        var codec = new JobEventCodec(h.CourierOptions);
        string Valid(string name) => Encoding.UTF8.GetString(codec.Encode(h.Client.BuildEvent(
            new JobRequest { Type = "alpha", Database = "testwiki", Params = new TestParams(name) })));
        var template = Valid("template");
        var bad = BadBytes.Rejected.Select(row => BadBytes.Row(row, template))
            .Concat(BadBytes.Random(seed: 15, count: 300, template, bytes => codec.Decode(bytes).Error is not null))
            .ToList();
        var bomb = Enumerable.Range(0, 2000).Select(i => new LogHeader($"x-bomb-{i}", new byte[i % 100 == 0 ? 16 * 1024 : 8])).ToList();
        var records = new List<OutgoingRecord>();
        var good = new List<string>();
        void AddGood(byte[] value, IReadOnlyList<LogHeader>? headers = null)
        {
            records.Add(new OutgoingRecord(h.JobTopic("alpha"), "testwiki", value, headers, 0));
            good.Add(codec.Decode(value).Event!.Meta.Id);
        }
        for (var i = 0; i < bad.Count; i++)
        {
            records.Add(new OutgoingRecord(h.JobTopic("alpha"), "testwiki", bad[i], null, 0));
            switch (i)
            {
                case 3: AddGood(BadBytes.Row("dt far future", Valid("dt-future"))); break;
                case 50: AddGood(BadBytes.Row("dt far past", Valid("dt-past"))); break;
                case 100: AddGood(BadBytes.Row("unknown fields", Valid("unknown-fields"))); break;
                case 150: AddGood(Encoding.UTF8.GetBytes(Valid("header-bomb")), bomb); break;
            }
        }
        AddGood(Encoding.UTF8.GetBytes(Valid("last")));
        using (var producer = h.Log.CreateProducer())
        {
            await producer.ProduceAsync(records, Ct);
        }

        var startDelays = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, h.Telemetry.StartDelay.Instrument))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => startDelays.Add(seconds));
        listener.Start();

        await h.StartAsync();
        await h.WaitUntilAsync(() => h.Succeeded.ContainsKey(good[^1]), "the valid job after the bad bytes succeeded");
        await h.WaitIdleAsync();

        Assert.Equal(good.Order(StringComparer.Ordinal), h.Succeeded.Keys.Order(StringComparer.Ordinal));
        var letters = await h.ReadDeadLettersAsync();
        Assert.All(letters, l => Assert.Equal(FailureClass.Decode, l.Class));
        Assert.All(letters, l => Assert.False(string.IsNullOrWhiteSpace(l.Message)));
        Assert.Equal(bad.Select(Convert.ToHexString).Order(StringComparer.Ordinal),
            letters.Select(l => Convert.ToHexString(l.OriginalEvent.Span)).Order(StringComparer.Ordinal));
        Assert.Contains(letters, l => l.Message!.Contains("the longest delay Courier holds is 366 days", StringComparison.Ordinal));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(records.Count, stats.Started);
        Assert.Equal(good.Count, stats.Succeeded);
        Assert.Equal(bad.Count, stats.DeadLettered);
        Assert.Equal(bad.Count, stats.DeadLetteredByClass[FailureClass.Decode]);
        Assert.Equal(0, stats.Pending);
        Assert.Equal(good.Count, startDelays.Count);
        Assert.All(startDelays, seconds => Assert.True(seconds >= 0, $"a start delay of {seconds} s"));
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Client;

/// <summary>
/// What the client does to a job log, written against <see cref="IJobLog"/> only so that every engine runs them:
/// a subclass supplies the log (SQLite now; Kafka when it lands).
/// </summary>
public abstract class CourierClientLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2019, 4, 17, 10, 0, 0, TimeSpan.Zero);

    private CountingJobLog _log = null!;
    private CourierTelemetry _telemetry = null!;
    private CourierClient _client = null!;

    protected FakeTimeProvider Time { get; } = new(Now);

    protected CourierOptions Options { get; } = new() { ProducerName = "tests", ProducerVersion = "9.9.9" };

    /// <summary>A new, empty log.</summary>
    protected abstract ValueTask<IJobLog> CreateLogAsync();

    public async ValueTask InitializeAsync()
    {
        _log = new CountingJobLog(await CreateLogAsync());
        _telemetry = new CourierTelemetry();
        _client = new CourierClient(_log, Options, _telemetry, Time);
    }

    public virtual async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _telemetry.Dispose();
        await _log.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EnqueueBatch_AppendsEveryJobInOneCall_AndReturnsTheirPositionsInOrder()
    {
        var requests = Enumerable.Range(0, 100).Select(i => new JobRequest
        {
            Type = "refreshLinks",
            Database = i % 3 == 0 ? "enwiki" : i % 3 == 1 ? "dewiki" : "commonswiki",
            Params = new { Namespace = 0, Title = $"Page_{i}" },
        }).ToList();

        var jobs = await _client.EnqueueBatchAsync(requests, TestContext.Current.CancellationToken);

        Assert.Equal(1, _log.ProduceCalls);
        Assert.Equal(requests.Count, jobs.Count);
        Assert.Equal(requests.Count, jobs.Select(j => j.Id).Distinct().Count());
        for (var i = 0; i < requests.Count; i++)
        {
            var record = Read(jobs[i].Position);
            Assert.Equal("mediawiki.job.refreshLinks", record.Topic);
            Assert.Equal(requests[i].Database, record.Key);
            var decoded = new JobEventCodec(Options).Decode(record.Value.Span);
            Assert.Null(decoded.Error);
            Assert.Equal(jobs[i].Id, decoded.Event!.Meta.Id);
            Assert.Equal("refreshLinks", jobs[i].Type);
            Assert.Equal($"Page_{i}", decoded.Event.Params.GetProperty("title").GetString());
        }
        // Key = database: one wiki's jobs share a partition, so they keep their order.
        foreach (var group in jobs.Select((job, i) => (job, requests[i].Database)).GroupBy(x => x.Database))
        {
            Assert.Single(group.Select(x => x.job.Position.Partition).Distinct());
            var offsets = group.Select(x => x.job.Position.Offset).ToList();
            Assert.Equal(offsets.Order(), offsets);
        }
    }

    [Fact]
    public async Task EnqueueBatch_AppendsNothing_WhenOneRequestIsInvalid()
    {
        var requests = new[]
        {
            new JobRequest { Type = "a", Database = "enwiki", Params = new { X = 1 } },
            new JobRequest { Type = "a", Database = "enwiki", Params = new { X = 2 } },
            new JobRequest { Type = "a", Database = "enwiki", Params = new[] { 1, 2 } },
        };

        var e = await Assert.ThrowsAsync<JobEncodingException>(() => _client.EnqueueBatchAsync(requests, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("requests[2].params: must be a JSON object, got array", e.Message);
        Assert.Equal(0, _log.ProduceCalls);
        Assert.DoesNotContain(await _log.ListTopicsAsync(TestContext.Current.CancellationToken), t => t.Name == "mediawiki.job.a");
    }

    [Fact]
    public async Task EnqueueBatch_AppendsNothing_WhenOneEventIsTooLarge()
    {
        Options.MaxEventBytes = 1000;
        using var client = new CourierClient(_log, Options, _telemetry, Time);
        var requests = new[]
        {
            new JobRequest { Type = "a", Database = "enwiki" },
            new JobRequest { Type = "a", Database = "enwiki", Params = new { Text = new string('x', 2000) } },
        };

        var e = await Assert.ThrowsAsync<JobEncodingException>(() => client.EnqueueBatchAsync(requests, TestContext.Current.CancellationToken).AsTask());

        Assert.Matches(@"^requests\[1\]: event is 2\d\d\d bytes; the limit is 1000$", e.Message);
        Assert.Equal(0, _log.ProduceCalls);
    }

    [Fact]
    public async Task Enqueue_WritesTheEventBuildEventDescribes()
    {
        var request = new JobRequest
        {
            Type = "htmlCacheUpdate",
            Database = "dewiki",
            Params = new { Pages = new Dictionary<string, object[]> { ["42"] = [0, "Köln"] }, RootJobSignature = "sig" },
            Id = "0196A3B2-7C1E-7D4A-9F2B-3C4D5E6F7A8B",
            RequestId = "req-1",
            DelayUntil = Now.AddMinutes(5),
            Deduplicate = true,
            RootEvent = new RootEvent("sig", Now.AddHours(-1)),
            ParamsVersion = "2",
        };

        var job = await _client.EnqueueAsync(request, TestContext.Current.CancellationToken);
        var decoded = new JobEventCodec(Options).Decode(Read(job.Position).Value.Span);

        Assert.Null(decoded.Error);
        Jobs.JobEventAssert.Equal(_client.BuildEvent(request), decoded.Event!);
        Assert.Equal("0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b", job.Id);
    }

    [Fact]
    public async Task Enqueue_CreatesTheJobTopic_WithTheDefaultPartitionCount()
    {
        await _client.EnqueueAsync(new JobRequest { Type = "massMessage", Database = "metawiki" }, TestContext.Current.CancellationToken);

        var topic = Assert.Single(await _log.ListTopicsAsync(TestContext.Current.CancellationToken), t => t.Name == "mediawiki.job.massMessage");
        Assert.Equal(Options.DefaultPartitions, topic.Partitions);
    }

    [Fact]
    public async Task EnqueueBatch_RoutesEachTypeToItsOwnTopic_InOneCall()
    {
        var jobs = await _client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "a", Database = "enwiki" },
            new JobRequest { Type = "b", Database = "enwiki" },
            new JobRequest { Type = "a", Database = "enwiki" },
        ], TestContext.Current.CancellationToken);

        Assert.Equal(["mediawiki.job.a", "mediawiki.job.b", "mediawiki.job.a"], jobs.Select(j => j.Position.Topic));
        Assert.Equal(1, _log.ProduceCalls);
    }

    [Fact]
    public async Task EnqueueBatch_GivesRequestsWithoutAnIdOneSharedRequestId()
    {
        var jobs = await _client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "a", Database = "enwiki" },
            new JobRequest { Type = "a", Database = "enwiki", RequestId = "mine" },
            new JobRequest { Type = "a", Database = "enwiki" },
        ], TestContext.Current.CancellationToken);

        var requestIds = jobs.Select(j => new JobEventCodec(Options).Decode(Read(j.Position).Value.Span).Event!.Meta.RequestId).ToList();
        Assert.Equal("mine", requestIds[1]);
        Assert.Equal(requestIds[0], requestIds[2]);
        Assert.False(string.IsNullOrEmpty(requestIds[0]));
    }

    [Fact]
    public async Task EnqueueBatch_CountsEnqueuedJobsPerType()
    {
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CourierTelemetry.Name && instrument.Name == "courier.jobs.enqueued")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            if (!ReferenceEquals(instrument, _telemetry.Enqueued.Instrument))
            {
                return;
            }
            foreach (var tag in tags)
            {
                if (tag.Key == "job.type")
                {
                    lock (counts)
                    {
                        counts[(string)tag.Value!] = counts.GetValueOrDefault((string)tag.Value!) + value;
                    }
                }
            }
        });
        listener.Start();
        // Types this process knows keep their name (an unknown one would be counted as "unknown": JobTypeLabelTests).
        _telemetry.JobTypes.Know(["a", "b"]);

        await _client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "a", Database = "enwiki" },
            new JobRequest { Type = "a", Database = "dewiki" },
            new JobRequest { Type = "b", Database = "enwiki" },
            new JobRequest { Type = "a", Database = "enwiki" },
        ], TestContext.Current.CancellationToken);

        Assert.Equal(3, counts["a"]);
        Assert.Equal(1, counts["b"]);
    }

    [Fact]
    public async Task Enqueue_CarriesTraceContext_InARecordHeader()
    {
        using var activity = new Activity("enqueue").SetIdFormat(ActivityIdFormat.W3C).Start();

        var job = await _client.EnqueueAsync(new JobRequest { Type = "a", Database = "enwiki" }, TestContext.Current.CancellationToken);

        Assert.Equal(activity.Id, System.Text.Encoding.UTF8.GetString(Read(job.Position).GetHeader("traceparent")!));
    }

    [Fact]
    public async Task Dispose_DisposesTheClientsProducer()
    {
        await _client.EnqueueAsync(new JobRequest { Type = "a", Database = "enwiki", Params = JsonDocument.Parse("{}").RootElement }, TestContext.Current.CancellationToken);

        _client.Dispose();

        Assert.Equal(1, _log.ProducersDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _client.EnqueueAsync(new JobRequest { Type = "a", Database = "enwiki" }, TestContext.Current.CancellationToken).AsTask());
    }

    /// <summary>Reads the record at a position through the log's own consumer.</summary>
    private LogRecord Read(TopicPartitionOffset position)
    {
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([position]);
        var record = Consuming.Count(consumer, 1)[0];
        Assert.Equal(position, record.Position);
        return record;
    }
}

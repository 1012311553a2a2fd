using System.Runtime.InteropServices;
using Confluent.Kafka;
using Courier.Kafka.Configuration;
using Courier.Kafka.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Kafka.Producer;

/// <summary>
/// A producer of the Kafka job log: one idempotent librdkafka producer, records handed over with <c>Produce</c> and a
/// delivery handler (no per-record await), one completion per batch.
/// </summary>
internal sealed class KafkaJobLogProducer : IJobLogProducer
{
    private readonly KafkaJobLog _log;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private IProducer<string?, byte[]> _producer;
    private Error? _fatal;
    private bool _disposed;

    /// <summary>The client settings, made once from options that never change: a rebuilt producer uses the same.</summary>
    private readonly ProducerConfig _config;

    /// <summary>Whether delivery reports say if a failed record may have been written (the user may turn that off).</summary>
    private readonly bool _reportsStatus;

    public KafkaJobLogProducer(KafkaJobLog log)
    {
        _log = log;
        _logger = log.LoggerFactory.CreateLogger<KafkaJobLog>();
        _config = ClientConfigs.Producer(log.Options);
        _reportsStatus = ClientConfigs.ReportsStatus(_config);
        _producer = Build();
    }

    /// <summary>The librdkafka client, for tests that inject faults into it.</summary>
    internal IProducer<string?, byte[]> Client => _producer;

    public async ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
        IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return [];
        }
        if (_log.Options.AutoCreateTopics)
        {
            await EnsureTopicsAsync(records, cancellationToken);
        }
        var producer = CurrentProducer();
        var batch = new DeliveryBatch(records.Count, _reportsStatus);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var message = new Message<string?, byte[]>
            {
                Key = record.Key,
                Value = AsArray(record.Value),
                Headers = ToHeaders(record.Headers),
            };
            if (!await HandOverAsync(producer, record, message, batch.HandlerFor(i), batch, cancellationToken))
            {
                break;
            }
        }
        return await batch.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        IProducer<string?, byte[]> producer;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            producer = _producer;
        }
        try
        {
            // Hand over what is still queued; an unreachable cluster bounds this by the request timeout.
            producer.Flush(_log.Options.RequestTimeout);
        }
        catch (KafkaException)
        {
            // Disposing anyway; records not flushed fail their batches, which their callers see.
        }
        producer.Dispose();
    }

    /// <summary>Gives one record to librdkafka; false if the batch has failed and the rest need not be sent.</summary>
    private static async ValueTask<bool> HandOverAsync(
        IProducer<string?, byte[]> producer, OutgoingRecord record, Message<string?, byte[]> message,
        Action<DeliveryReport<string?, byte[]>> handler, DeliveryBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (record.Partition is { } partition)
                {
                    producer.Produce(new Confluent.Kafka.TopicPartition(record.Topic, new Partition(partition)), message, handler);
                }
                else
                {
                    producer.Produce(record.Topic, message, handler);
                }
                return true;
            }
            catch (ProduceException<string?, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue (queue.buffering.max.messages/kbytes) is full: wait for deliveries to drain it.
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            }
            catch (ProduceException<string?, byte[]> ex)
            {
                batch.Fail(new JobLogException(
                    $"Kafka did not accept a record for {record.Topic}" +
                    (record.Partition is { } p ? $"[{p}]" : "") + $": {ex.Error.Reason} ({ex.Error.Code})", ex));
                return false;
            }
            catch (KafkaException ex)
            {
                batch.Fail(new JobLogException($"Kafka did not accept a record for {record.Topic}: {ex.Error.Reason} ({ex.Error.Code})", ex));
                return false;
            }
        }
    }

    private async ValueTask EnsureTopicsAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken)
    {
        string? last = null;
        for (var i = 0; i < records.Count; i++)
        {
            var topic = records[i].Topic;
            if (ReferenceEquals(topic, last) || string.Equals(topic, last, StringComparison.Ordinal))
            {
                continue;
            }
            last = topic;
            if (!_log.IsKnownTopic(topic))
            {
                await _log.EnsureTopicAsync(topic, _log.Options.DefaultPartitions, cancellationToken);
            }
        }
    }

    /// <summary>The producer to use; after a fatal error (the idempotent producer cannot go on) a new one.</summary>
    private IProducer<string?, byte[]> CurrentProducer()
    {
        IProducer<string?, byte[]> current;
        IProducer<string?, byte[]>? replaced = null;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_fatal is { } fatal)
            {
                replaced = _producer;
                KafkaLogMessages.ProducerReplaced(_logger, replaced.Name, $"{fatal.Reason} ({fatal.Code})");
                _fatal = null;
                _producer = Build();
            }
            current = _producer;
        }
        // Outside the lock: disposing joins the old producer's poll thread, whose error handler takes the lock. Its
        // undelivered records have failed their batches with the fatal error already.
        replaced?.Dispose();
        return current;
    }

    private IProducer<string?, byte[]> Build()
    {
        return new ProducerBuilder<string?, byte[]>(_config)
            .SetLogHandler(_log.LogHandler)
            .SetErrorHandler(OnError)
            .Build();
    }

    private void OnError(IProducer<string?, byte[]> producer, Error error)
    {
        if (error.IsFatal)
        {
            KafkaLogMessages.FatalError(_logger, producer.Name, error.Code.ToString(), error.Reason);
            lock (_lock)
            {
                if (ReferenceEquals(producer, _producer))
                {
                    _fatal = error;
                }
            }
            return;
        }
        KafkaLogMessages.ClientError(_logger, producer.Name, error.Code.ToString(), error.Reason);
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();

    private static Headers? ToHeaders(IReadOnlyList<LogHeader>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return null;
        }
        var result = new Headers();
        foreach (var header in headers)
        {
            result.Add(header.Key, header.Value);
        }
        return result;
    }
}

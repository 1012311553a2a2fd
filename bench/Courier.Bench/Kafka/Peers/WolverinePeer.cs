using System.Reflection;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Kafka;
using Wolverine.Transports;

namespace Courier.Bench;

/// <summary>
/// The peer: a WolverineFx.Kafka listener with a no-op handler over the same records, in a host of its own on the same
/// mock cluster, started and stopped around each measurement. It reads the plain JSON values with
/// <c>ReceiveRawJson&lt;PeerJob&gt;()</c> and otherwise keeps Wolverine's defaults, except the consumer settings every
/// consumer of the section gets (<c>fetch.queue.backoff.ms</c>, <c>auto.offset.reset=earliest</c>, a group of its own).
/// </summary>
internal static class WolverinePeer
{
    /// <summary>The raised back-pressure limits of <see cref="KafkaConsumer.WolverineBufferedTuned"/> (default 1,000 / 500).</summary>
    public static readonly BufferingLimits RaisedLimits = new(50_000, 25_000);

    /// <summary>
    /// The phase limit of the default buffered mode: it pauses its listener at every 1,000 buffered records, which on
    /// Kafka closes the consumer and rejoins the group, so it runs at hundreds of records a second; its rate is taken
    /// over what it handled in this time rather than waiting minutes for every record.
    /// </summary>
    public static readonly TimeSpan DefaultBufferedLimit = TimeSpan.FromSeconds(30);

    /// <summary>Consumers of <see cref="KafkaConsumer.WolverineInlineListeners"/>: one per core.</summary>
    public static int InlineListeners => Environment.ProcessorCount;

    /// <summary>The WolverineFx.Kafka package version measured.</summary>
    public static string Version =>
        typeof(KafkaTransportExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";

    /// <summary>How each mode is configured, as the report quotes it.</summary>
    public static string Describe(KafkaConsumer mode) => mode switch
    {
        KafkaConsumer.WolverineBuffered => "ListenToKafkaTopic(topic).ReceiveRawJson<PeerJob>() (buffered by default)",
        KafkaConsumer.WolverineBufferedTuned => "ListenToKafkaTopic(topic).ReceiveRawJson<PeerJob>().BufferedInMemory(new BufferingLimits(50_000, 25_000))",
        KafkaConsumer.WolverineInline => "ListenToKafkaTopic(topic).ReceiveRawJson<PeerJob>().ProcessInline()",
        KafkaConsumer.WolverineInlineListeners => $"ListenToKafkaTopic(topic).ReceiveRawJson<PeerJob>().ProcessInline().ListenerCount({InlineListeners})",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Times a listener in <paramref name="mode"/> over <paramref name="topic"/> until its handler ran <paramref name="count"/> times.</summary>
    public static async Task<KafkaRun> RunAsync(KafkaConsumer mode, ConsumerConfig baseConfig, string topic, string group, int count,
        TimeSpan limit, CancellationToken cancellationToken)
    {
        if (mode == KafkaConsumer.WolverineBuffered && limit > DefaultBufferedLimit)
        {
            limit = DefaultBufferedLimit;
        }
        var counter = new RecordCounter();
        using var pauses = new ListenerPauseLog();
        using var host = Build(mode, baseConfig, topic, "bench-" + group, counter, pauses);
        var run = await counter.MeasureAsync(mode, count, limit, () => host.StartAsync(cancellationToken), cancellationToken);
        await host.StopAsync(cancellationToken);
        return run with { ListenerPauses = pauses.Pauses };
    }

    private static IHost Build(KafkaConsumer mode, ConsumerConfig baseConfig, string topic, string groupId, RecordCounter counter,
        ListenerPauseLog pauses)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "Courier.Bench" });
        builder.Services.AddSingleton(counter);
        builder.Logging.ClearProviders().AddProvider(pauses);
        builder.UseWolverine(options =>
        {
            // Wolverine 6.64 compiles its handler chains at run time only with this package and call.
            options.UseRuntimeCompilation();
            // Only this handler: the bench assembly has other types named *Handler.
            options.Discovery.DisableConventionalDiscovery().IncludeType<WolverineNoopHandler>();
            options.UseKafka(baseConfig.BootstrapServers)
                .ConsumeOnly()
                .ConfigureConsumers(consumer =>
                {
                    consumer.GroupId = groupId;
                    consumer.AutoOffsetReset = AutoOffsetReset.Earliest;
                    consumer.FetchQueueBackoffMs = baseConfig.FetchQueueBackoffMs;
                });
            var listener = options.ListenToKafkaTopic(topic).ReceiveRawJson<PeerJob>();
            switch (mode)
            {
                case KafkaConsumer.WolverineBufferedTuned:
                    listener.BufferedInMemory(RaisedLimits);
                    break;
                case KafkaConsumer.WolverineInline:
                    listener.ProcessInline();
                    break;
                case KafkaConsumer.WolverineInlineListeners:
                    listener.ProcessInline().ListenerCount(InlineListeners);
                    break;
                case KafkaConsumer.WolverineBuffered:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(mode));
            }
        });
        return builder.Build();
    }
}

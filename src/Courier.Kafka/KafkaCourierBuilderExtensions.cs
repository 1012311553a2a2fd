using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Courier;

/// <summary>Chooses the Kafka job log for <c>services.AddCourier()</c>.</summary>
public static class KafkaCourierBuilderExtensions
{
    /// <summary>
    /// Uses the Kafka job log with these options. A log without a logger factory of its own takes the container's.
    /// </summary>
    public static CourierBuilder UseKafka(this CourierBuilder builder, KafkaJobLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Copy();
        copy.Validate();
        return builder.UseJobLog(sp =>
        {
            var effective = copy.Copy();
            if (ReferenceEquals(effective.LoggerFactory, NullLoggerFactory.Instance) && sp.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                effective.LoggerFactory = loggerFactory;
            }
            return new KafkaJobLog(effective);
        });
    }

    /// <summary>
    /// Uses the Kafka job log on the brokers at <paramref name="bootstrapServers"/>. The log takes its logger factory from
    /// the container and creates topics with <see cref="CourierOptions.DefaultPartitions"/> partitions unless
    /// <paramref name="configure"/> says otherwise.
    /// </summary>
    public static CourierBuilder UseKafka(this CourierBuilder builder, string bootstrapServers, Action<KafkaJobLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return builder.UseJobLog(sp =>
        {
            var options = new KafkaJobLogOptions
            {
                BootstrapServers = bootstrapServers,
                LoggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            };
            if (sp.GetService<IOptions<CourierOptions>>() is { } courier)
            {
                options.DefaultPartitions = courier.Value.DefaultPartitions;
            }
            configure?.Invoke(options);
            return new KafkaJobLog(options);
        });
    }
}

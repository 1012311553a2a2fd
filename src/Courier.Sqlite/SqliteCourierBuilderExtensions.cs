using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Courier;

/// <summary>Chooses the embedded SQLite job log for <c>services.AddCourier()</c>.</summary>
public static class SqliteCourierBuilderExtensions
{
    /// <summary>
    /// Uses the embedded job log in the SQLite file at <paramref name="path"/> (created when missing). The log takes
    /// its time provider and logger factory from the container and creates topics with
    /// <see cref="CourierOptions.DefaultPartitions"/> partitions unless <paramref name="configure"/> says otherwise.
    /// </summary>
    public static CourierBuilder UseSqlite(this CourierBuilder builder, string path, Action<SqliteJobLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseJobLog(sp =>
        {
            var options = new SqliteJobLogOptions
            {
                TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System,
                LoggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            };
            if (sp.GetService<IOptions<CourierOptions>>() is { } courier)
            {
                options.DefaultPartitions = courier.Value.DefaultPartitions;
            }
            configure?.Invoke(options);
            return SqliteJobLog.Open(path, options);
        });
    }
}

using Courier.Sqlite.State;
using Courier.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    /// <remarks>
    /// Unless a state store is already registered, it also uses the embedded one (<see cref="UseSqliteState"/>) in
    /// <c>&lt;log file name&gt;.state.db</c> beside the log.
    /// </remarks>
    public static CourierBuilder UseSqlite(this CourierBuilder builder, string path, Action<SqliteJobLogOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.UseSqliteState(System.IO.Path.ChangeExtension(path, null) + ".state.db");
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

    /// <summary>
    /// Uses the embedded state store (<see cref="SqliteJobStateStore"/>) in the SQLite file at <paramref name="path"/>,
    /// unless a state store is already registered; it is opened when the dispatcher is first created.
    /// </summary>
    public static CourierBuilder UseSqliteState(this CourierBuilder builder, string path, Action<SqliteJobStateStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.TryAddSingleton<IJobStateStore>(sp =>
        {
            var options = new SqliteJobStateStoreOptions { TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System };
            configure?.Invoke(options);
            return SqliteJobStateStore.Open(path, options);
        });
        return builder;
    }
}

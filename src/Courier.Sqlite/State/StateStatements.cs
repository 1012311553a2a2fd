using System.Globalization;
using Courier.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.State;

/// <summary>
/// The embedded store's prepared statements on its one connection, and how each queued operation is applied with them.
/// Only the store's writer uses them, inside the batch's transaction.
/// </summary>
internal sealed class StateStatements : IDisposable
{
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _insertIfAbsent;
    private readonly SqliteCommand _setValue;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _deleteIfValue;
    private readonly SqliteCommand _sweep;
    private readonly SqliteCommand _count;
    private readonly SqliteCommand _trim;

    public StateStatements(LogConnection connection)
    {
        _get = connection.Prepare("SELECT value FROM state WHERE key = $key AND expires > $now", "$key", "$now");
        _upsert = connection.Prepare(
            "INSERT INTO state(key, value, expires) VALUES($key, $value, $expires) " +
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires", "$key", "$value", "$expires");
        _insertIfAbsent = connection.Prepare(
            "INSERT INTO state(key, value, expires) VALUES($key, $value, $expires) " +
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires WHERE state.expires <= $now",
            "$key", "$value", "$expires", "$now");
        _setValue = connection.Prepare("UPDATE state SET value = $value WHERE key = $key", "$key", "$value");
        _delete = connection.Prepare("DELETE FROM state WHERE key = $key AND expires > $now", "$key", "$now");
        _deleteIfValue = connection.Prepare("DELETE FROM state WHERE key = $key AND value = $value AND expires > $now", "$key", "$value", "$now");
        _sweep = connection.Prepare("DELETE FROM state WHERE key IN (SELECT key FROM state WHERE expires <= $now LIMIT 10000)", "$now");
        _count = connection.Prepare("SELECT count(*) FROM state");
        _trim = connection.Prepare(
            "DELETE FROM state WHERE key IN (SELECT key FROM state WHERE expires > $keep ORDER BY expires LIMIT $n)", "$keep", "$n");
    }

    /// <summary>Keys stored, expired ones not yet swept included.</summary>
    public long Count() => (long)_count.ExecuteScalar()!;

    /// <summary>
    /// Applies <paramref name="operation"/> at <paramref name="now"/> (Unix ms), setting its result. Each statement sees
    /// the ones applied before it in the same transaction, so operations on one key take effect in queue order exactly
    /// as if each had its own transaction.
    /// </summary>
    public void Apply(StateOperation operation, long now)
    {
        var key = operation.Key;
        var expires = now + operation.TtlMillis;
        switch (operation.Kind)
        {
            case StateOperationKind.Add:
                operation.Done = Bind(_insertIfAbsent, key, operation.Value!, expires, now).ExecuteNonQuery() == 1;
                break;
            case StateOperationKind.Set:
                Bind(_upsert, key, operation.Value!, expires).ExecuteNonQuery();
                break;
            case StateOperationKind.Delete:
                var delete = operation.Value is null ? Bind(_delete, key, now) : Bind(_deleteIfValue, key, operation.Value, now);
                operation.Done = delete.ExecuteNonQuery() == 1;
                break;
            case StateOperationKind.Max:
                long? before = Read(key, now) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;
                var kept = before is { } b && b > operation.Number ? b : operation.Number;
                Bind(_upsert, key, kept.ToString(CultureInfo.InvariantCulture), expires).ExecuteNonQuery();
                operation.Result = before;
                break;
            case StateOperationKind.Increment:
                operation.Result = Increment(key, operation.Number, expires, now);
                break;
        }
    }

    /// <summary>
    /// Deletes expired keys, then, past <paramref name="maxEntries"/>, the keys nearest their expiry among those that
    /// live more than <see cref="NeverTrimmed"/> longer; the number it dropped.
    /// </summary>
    /// <remarks>
    /// Keys about to expire are the live ones: a running job's claim, a recurring tick's, a rate window. Dropping them
    /// first (as this did before) let a second dispatcher run a running job, or enqueue a tick again, whenever the store
    /// was full: the million-job chaos soak crossed the bound with a million day-long event keys and did both. Such
    /// keys are swept within the hour anyway; the ones dropped are the oldest remembered outcomes.
    /// </remarks>
    public long Sweep(long now, long maxEntries)
    {
        Bind(_sweep, now).ExecuteNonQuery();
        var over = Count() - maxEntries;
        return over > 0 ? Bind(_trim, now + (long)NeverTrimmed.TotalMilliseconds, over).ExecuteNonQuery() : 0;
    }

    /// <summary>Keys that expire within this are never dropped to keep the bound, only swept once expired.</summary>
    public static readonly TimeSpan NeverTrimmed = TimeSpan.FromHours(1);

    public void Dispose()
    {
        foreach (var command in new[] { _get, _upsert, _insertIfAbsent, _setValue, _delete, _deleteIfValue, _sweep, _count, _trim })
        {
            command.Dispose();
        }
    }

    private long Increment(string key, long by, long expires, long now)
    {
        var sum = by;
        if (Read(key, now) is { } text)
        {
            sum += long.Parse(text, CultureInfo.InvariantCulture);
            // An existing key keeps its expiry: only the value changes.
            Bind(_setValue, key, sum.ToString(CultureInfo.InvariantCulture)).ExecuteNonQuery();
        }
        else
        {
            Bind(_upsert, key, sum.ToString(CultureInfo.InvariantCulture), expires).ExecuteNonQuery();
        }
        return sum;
    }

    /// <summary>The live value of <paramref name="key"/> at <paramref name="now"/>, or null.</summary>
    public string? Read(string key, long now) => Bind(_get, key, now).ExecuteScalar() as string;

    private static SqliteCommand Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        return command;
    }
}

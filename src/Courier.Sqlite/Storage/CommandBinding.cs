using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.Storage;

/// <summary>Binds a prepared command's parameters, in order, and returns it to run.</summary>
internal static class CommandBinding
{
    public static SqliteCommand Bind(SqliteCommand command, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return command;
    }
}

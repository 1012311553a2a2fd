using Microsoft.Data.Sqlite;

namespace Courier.TestPrograms;

/// <summary>
/// The one table of a <see cref="RowFile{T}"/>: its name, its columns (<c>name TYPE …</c>, in the order
/// <paramref name="Values"/> gives and <paramref name="Read"/> reads them) and how a row maps to and from them.
/// </summary>
public sealed record RowTable<T>(string Name, IReadOnlyList<string> Columns, Func<T, object?[]> Values, Func<SqliteDataReader, T> Read)
{
    /// <summary>The column names, without their types.</summary>
    public IReadOnlyList<string> ColumnNames { get; } = [.. Columns.Select(c => c.Split(' ', 2)[0])];

    /// <summary>Opens (creating if needed) the file at <paramref name="path"/> with this table in it, for writing.</summary>
    public RowFile<T> Open(string path) => RowFile<T>.Open(path, this);

    /// <summary>Every row of the file at <paramref name="path"/> in the order written; none while the file or the table does not exist yet.</summary>
    public Task<IReadOnlyList<T>> ReadAllAsync(string path, CancellationToken cancellationToken) =>
        RowFile<T>.ReadAllAsync(path, this, cancellationToken);
}

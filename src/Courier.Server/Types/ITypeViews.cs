namespace Courier.Server.Types;

/// <summary>What the admin API and the console read about job types (registered by the dispatcher service).</summary>
internal interface ITypeViews
{
    /// <summary>Every type the dispatcher knows, ordered by name.</summary>
    Task<IReadOnlyList<TypeView>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>One type, or null when the dispatcher does not know it.</summary>
    Task<TypeView?> GetAsync(string type, CancellationToken cancellationToken = default);

    /// <summary>The last hour's samples of one type, or of all types added up when <paramref name="type"/> is null.</summary>
    TypeHistoryView History(string? type);
}

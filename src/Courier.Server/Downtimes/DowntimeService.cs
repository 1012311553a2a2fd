namespace Courier.Server.Downtimes;

/// <summary>
/// Downtimes in both stores at once: the embedded one (for the built-in watcher) and, when one is configured,
/// Alertmanager (silences). All or nothing: an add writes the silence first and takes it back when the store then
/// fails, so a downtime never exists in one store only because the other was unreachable; a cancel reads both
/// before it changes either, expires the silences one by one, then the stored downtimes.
/// </summary>
/// <param name="store">The embedded store.</param>
/// <param name="alertmanager">Alertmanager's silences, or null when none is configured.</param>
internal sealed class DowntimeService(DowntimeStore store, AlertmanagerSilences? alertmanager)
{
    /// <summary>The embedded store.</summary>
    public DowntimeStore Store { get; } = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Alertmanager's silences, or null.</summary>
    public AlertmanagerSilences? Alertmanager { get; } = alertmanager;

    /// <summary>Writes the downtime (its request already checked) to both stores under one group id.</summary>
    public async Task<AddedDowntime> AddAsync(DowntimeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var grouped = request with { GroupId = request.GroupId ?? DowntimeStore.NewId() };
        if (Alertmanager is null)
        {
            return new AddedDowntime(Store.Add(grouped), null);
        }
        var silenceId = await Alertmanager.CreateAsync(Silence.For(grouped, grouped.GroupId!), cancellationToken);
        try
        {
            return new AddedDowntime(Store.Add(grouped), silenceId);
        }
        catch (Exception stored)
        {
            try
            {
                await Alertmanager.ExpireAsync(silenceId, CancellationToken.None);
            }
            catch (AlertmanagerException undo)
            {
                throw new AlertmanagerException(
                    $"{stored.Message}; and the silence {silenceId} already created could not be expired ({undo.Message}): expire it by hand", stored);
            }
            throw;
        }
    }

    /// <summary>The downtimes and silences, pending or in force, whose comment <paramref name="match"/> takes.</summary>
    public async Task<DowntimeMatches> FindAsync(CommentMatch match, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var silences = Alertmanager is null
            ? []
            : (await Alertmanager.ListAsync(cancellationToken)).Where(s => s.IsInForceOrPending && match.Matches(s.Comment)).ToList();
        return new DowntimeMatches(Store.Matching(match), silences);
    }

    /// <summary>
    /// Expires every silence of <paramref name="matches"/>, calling <paramref name="silenceExpired"/> with each id as
    /// it goes, then cancels the stored downtimes; returns the ids of those it cancelled.
    /// </summary>
    public async Task<IReadOnlyList<string>> CancelAsync(DowntimeMatches matches, Action<string>? silenceExpired = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matches);
        if (matches.Silences.Count > 0 && Alertmanager is null)
        {
            throw new InvalidOperationException("silences to expire, but no Alertmanager");
        }
        foreach (var silence in matches.Silences)
        {
            await Alertmanager!.ExpireAsync(silence.Id, cancellationToken);
            silenceExpired?.Invoke(silence.Id);
        }
        return Store.Cancel(matches.Downtimes.Select(d => d.Id));
    }
}

namespace Courier.Server.Downtimes;

/// <summary>Where the built-in watcher reads the downtimes that silence its alerts (the data directory's store).</summary>
internal interface IDowntimeReader
{
    /// <summary>The downtimes in force at <paramref name="now"/>.</summary>
    IReadOnlyList<Downtime> Active(DateTimeOffset now);
}

using Microsoft.Extensions.Logging;

namespace Courier.Sqlite.Telemetry;

/// <summary>Log messages of the SQLite job log (event ids 2100–2199).</summary>
internal static partial class SqliteLogMessages
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Debug, Message = "Opened SQLite job log {Path} (data format {Version})")]
    public static partial void Opened(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Consumer {MemberId} of group {GroupId} was assigned {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string memberId, string groupId, string partitions);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information,
        Message = "Consumer {MemberId} of group {GroupId} is giving up {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string memberId, string groupId, string partitions);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "Group {GroupId}: member {ExpiredMemberId} missed heartbeats for longer than the session timeout; its partitions are reassigned")]
    public static partial void MemberExpired(ILogger logger, string groupId, string expiredMemberId);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "Consumer {MemberId} of group {GroupId} lost its membership (no heartbeat within the session timeout); partitions {Partitions} may already be read by another member")]
    public static partial void MembershipLost(ILogger logger, string memberId, string groupId, string partitions);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Consumer {MemberId} joined group {GroupId} for {Topics}")]
    public static partial void Joined(ILogger logger, string memberId, string groupId, string topics);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "Consumer {MemberId} left group {GroupId}")]
    public static partial void Left(ILogger logger, string memberId, string groupId);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning,
        Message = "Group {GroupId}: the process of member {ExpiredMemberId} (pid {Pid} on this machine) has ended; its partitions are reassigned")]
    public static partial void MemberProcessEnded(ILogger logger, string groupId, string expiredMemberId, long pid);
}

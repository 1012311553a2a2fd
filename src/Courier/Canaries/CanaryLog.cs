using Microsoft.Extensions.Logging;

namespace Courier.Canaries;

/// <summary>The log lines of runner pools' canaries.</summary>
internal static partial class CanaryLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information,
        Message = "Canary of runner pool {Pool} (release {Release}) starts at {Weight}% of the pool's jobs, sliced by {Slice}")]
    public static partial void Started(ILogger logger, string pool, string release, int weight, string slice);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information,
        Message = "Canary of runner pool {Pool} (release {Release}) promoted from {From}% to {To}%: {Reason}")]
    public static partial void Promoted(ILogger logger, string pool, string release, int from, int to, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error,
        Message = "Canary of runner pool {Pool} (release {Release}) rolled back from {Weight}%, its failures are held and retried on stable: {Reason}; top errors: {TopErrors}")]
    public static partial void RolledBack(ILogger logger, string pool, string release, int weight, string reason, string topErrors);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning,
        Message = "Canary of runner pool {Pool} (release {Release}) reset: judging again from {Weight}%")]
    public static partial void Reset(ILogger logger, string pool, string release, int weight);
}

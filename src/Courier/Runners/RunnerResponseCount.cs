using System.Diagnostics;

namespace Courier.Runners;

/// <summary>
/// Counts the answers of one runner pool in <see cref="CourierTelemetry.RunnerResponses"/>: the status code of every
/// answer, or the error when none came (<c>timeout</c>: the rule's timeout passed; <c>connection</c>: the connection
/// could not be opened or broke before a complete answer). One count per request sent, failovers included.
/// </summary>
internal sealed class RunnerResponseCount(CourierTelemetry? telemetry, string pool)
{
    /// <summary>The <c>error.type</c> of a request whose answer did not come in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>The <c>error.type</c> of a request whose connection failed.</summary>
    public const string Connection = "connection";

    // Boxed once: the status tag is an integer (as OpenTelemetry's HTTP conventions say), and boxing one per job would allocate.
    private static readonly object[] Statuses = [.. Enumerable.Range(0, 600).Select(status => (object)status)];

    /// <summary>Sends <paramref name="request"/> and counts its answer, or why none came (then rethrows).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMessageInvoker http, HttpRequestMessage request, string jobType,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            // SocketsHttpHandler reports its connect timeout as a cancellation caused by a TimeoutException.
            Failed(jobType, e is OperationCanceledException { InnerException: not TimeoutException } ? Timeout : Connection);
            throw;
        }
        Answered(jobType, (int)response.StatusCode);
        return response;
    }

    /// <summary>An answer with <paramref name="status"/>.</summary>
    private void Answered(string jobType, int status)
    {
        if (telemetry?.RunnerResponses is { Enabled: true } counter)
        {
            counter.Add(1, new TagList
            {
                { "job.type", jobType },
                { "runner.pool", pool },
                { "http.response.status_code", status is >= 0 and < 600 ? Statuses[status] : status },
            });
        }
    }

    /// <summary>No answer: <see cref="Timeout"/> or <see cref="Connection"/>.</summary>
    private void Failed(string jobType, string errorType)
    {
        if (telemetry?.RunnerResponses is { Enabled: true } counter)
        {
            counter.Add(1, new TagList
            {
                { "job.type", jobType },
                { "runner.pool", pool },
                { "error.type", errorType },
            });
        }
    }
}

namespace Courier;

/// <summary>What kind of endpoint a runner pool is (docs/runners.md).</summary>
public enum RunnerMode
{
    /// <summary>A Courier runner (<c>MapCourierRunner</c>): signed requests, protocol v1 answers with a JSON reason.</summary>
    Courier,

    /// <summary>
    /// MediaWiki's <c>rpc/RunSingleJob.php</c>: 200 = done, 500 with <c>X-Readonly: true</c> = backpressure, other
    /// 5xx = retryable, anything else = permanent. Nothing is expected of the response body.
    /// </summary>
    MediaWiki,
}

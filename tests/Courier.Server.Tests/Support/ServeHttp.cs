using System.Net;
using Xunit;

namespace Courier.Server.Tests.Support;

/// <summary>The HTTP side of a <c>courier serve</c> under test: a port for its <c>metrics.listen</c>, and its readiness.</summary>
internal static class ServeHttp
{
    /// <summary>A port on 127.0.0.1 nothing listens on now, for a configuration's <c>metrics.listen</c>.</summary>
    public static int FreePort() => LoopbackApp.RefusingUrl().Port;

    /// <summary>True once <c>/health/ready</c> answers 200; false while nothing listens or it is not ready.</summary>
    public static async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

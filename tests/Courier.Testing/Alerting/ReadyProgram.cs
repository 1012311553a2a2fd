using System.Globalization;
using System.Net;
using Courier.Testing;
using Xunit;

namespace Courier.Testing.Alerting;

/// <summary>
/// A server program of the system (Prometheus, Alertmanager) started on a free 127.0.0.1 port and ready once its
/// <c>/-/ready</c> answers 200.
/// </summary>
public static class ReadyProgram
{
    private const int StartAttempts = 3;

    /// <summary>
    /// Starts <paramref name="binary"/> with the <paramref name="arguments"/> for a port, in <paramref name="workingDirectory"/>,
    /// and waits until it is ready. The free port is found by binding and releasing it; should another process take it
    /// in between, the program exits at once and is started again on another. Fails the test with the program's output
    /// if it never becomes ready.
    /// </summary>
    public static async Task<(ChildProcess Process, Uri BaseUrl)> StartAsync(string name, string binary, Func<int, IEnumerable<string>> arguments,
        string workingDirectory, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var baseUrl = LoopbackApp.RefusingUrl();
            var process = ChildProcess.StartProgram(binary, arguments(baseUrl.Port), workingDirectory);
            if (await WaitReadyAsync(name, process, baseUrl, cancellationToken))
            {
                return (process, baseUrl);
            }
            var output = process.Tail(label: name);
            process.Dispose();
            Assert.True(attempt < StartAttempts, $"{name} exited before it was ready:\n{output}");
        }
    }

    /// <summary><c>127.0.0.1:port</c>, for a <c>--web.listen-address</c>.</summary>
    public static string ListenAddress(int port) => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A duration in whole seconds as the programs' configurations write it: <c>5s</c>.</summary>
    public static string Seconds(TimeSpan duration) => ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>True once <c>/-/ready</c> answers 200; false if the process exited first.</summary>
    private static async Task<bool> WaitReadyAsync(string name, ChildProcess process, Uri baseUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        var ready = false;
        await Eventually.TrueAsync(async () => process.HasExited || (ready = await IsReadyAsync(http, cancellationToken)),
            $"{name} answers /-/ready", state: () => ValueTask.FromResult(process.Tail(label: name)));
        return ready;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/-/ready", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Courier.Runner.Tests.Support;

/// <summary>
/// An HTTP/1.1 POST over a raw socket that declares a large <c>Content-Length</c> but sends only the first bytes of the
/// body and then waits: what a slow or hostile client does. <see cref="ReadStatusAsync"/> reads the answer.
/// </summary>
public sealed class PartialRequest : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private PartialRequest(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<PartialRequest> SendAsync(Uri baseUrl, IEnumerable<(string Name, string Value)> headers, long declaredLength,
        int sentBytes, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellationToken);
        var request = new PartialRequest(client);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST {RunnerProtocol.DefaultPath} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {declaredLength}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        head.Append("\r\n");
        await request._stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        await request._stream.WriteAsync(Enumerable.Repeat((byte)' ', sentBytes).ToArray(), cancellationToken);
        await request._stream.FlushAsync(cancellationToken);
        return request;
    }

    /// <summary>The status code and body of the answer, read until its <c>Content-Length</c>.</summary>
    public async Task<(int Status, string Body)> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            received.AddRange(buffer.AsSpan(0, await ReadSomeAsync(buffer, cancellationToken)));
        }
        var head = Encoding.ASCII.GetString(received.ToArray(), 0, headEnd);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var length = int.Parse(lines.Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..],
            CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            received.AddRange(buffer.AsSpan(0, await ReadSomeAsync(buffer, cancellationToken)));
        }
        return (status, Encoding.UTF8.GetString(received.ToArray(), headEnd + 4, length));
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }

    private async Task<int> ReadSomeAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await _stream.ReadAsync(buffer, cancellationToken);
        return read > 0 ? read : throw new IOException("the runner closed the connection without an answer");
    }

    private static int IndexOfHeadEnd(List<byte> received) =>
        received.Count < 4 ? -1 : Encoding.ASCII.GetString(received.ToArray()).IndexOf("\r\n\r\n", StringComparison.Ordinal);
}

using System.Net.Sockets;
using System.Text;

namespace Courier.Server.Tests.Intake;

/// <summary>HTTP/1.1 by hand over a socket, for what HttpClient will not do: stall half-way through a body.</summary>
internal static class RawHttp
{
    /// <summary>
    /// Sends the request head (declaring <paramref name="declaredLength"/> body bytes) and <paramref name="sent"/> of the
    /// body, then sends nothing more and reads until the server closes the connection: its answer, as text.
    /// <paramref name="headers"/> go into the head as given (e.g. a runner request's signing headers).
    /// </summary>
    public static async Task<string> PostAndStallAsync(Uri url, string contentType, int declaredLength, byte[] sent, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, cancellationToken);
        var stream = client.GetStream();
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {declaredLength}\r\n"
            + string.Concat((headers ?? []).Select(h => $"{h.Key}: {h.Value}\r\n")) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(sent, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer, cancellationToken); // ends when the server closes the connection
        return Encoding.UTF8.GetString(answer.ToArray());
    }
}

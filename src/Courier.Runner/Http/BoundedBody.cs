using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Courier.Runner.Http;

/// <summary>Reads a request body whole, up to a limit of the endpoint's own (the runner's, the intake's).</summary>
public static class BoundedBody
{
    /// <summary>
    /// The body, copied by <paramref name="copy"/>, or null as soon as it is longer than <paramref name="maxBytes"/>
    /// (declared or as it streams in). When the host set a <see cref="BodyReadDeadline"/> and the body is not all there
    /// in time, throws <see cref="BadHttpRequestException"/> with 408, as Kestrel does when a body comes in too slowly.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, int maxBytes, Func<ReadOnlySequence<byte>, T> copy)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            // This endpoint's limit and message apply, not the server's own (Kestrel: 30 MB).
            sizeLimit.MaxRequestBodySize = (long)maxBytes + 1;
        }
        var deadline = context.Features.Get<BodyReadDeadline>();
        using var timeout = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout?.CancelAfter(deadline!.Timeout);
        try
        {
            return await ReadAsync(context, maxBytes, copy, timeout?.Token ?? context.RequestAborted);
        }
        catch (OperationCanceledException) when (timeout is { IsCancellationRequested: true } && !context.RequestAborted.IsCancellationRequested)
        {
            throw new BadHttpRequestException(string.Create(CultureInfo.InvariantCulture,
                $"the request body did not arrive within {deadline!.Timeout.TotalSeconds:0.###} s"), StatusCodes.Status408RequestTimeout);
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, int maxBytes, Func<ReadOnlySequence<byte>, T> copy, CancellationToken cancellationToken)
        where T : class
    {
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                if (buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    return null;
                }
                if (read.IsCompleted || read.IsCanceled)
                {
                    var body = copy(buffer);
                    reader.AdvanceTo(buffer.End);
                    return body;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}

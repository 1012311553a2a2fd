using System.Text;
using Courier.Runner;
using Courier.Runner.Authentication;
using Courier.Runner.Endpoint;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OptionsOf = Microsoft.Extensions.Options.Options;

namespace Courier.Fuzz.Targets;

/// <summary>
/// The runner endpoint's checks on the request it gets, in the endpoint's order: signing headers, the MAC over the
/// body, decode, the attempt and timeout headers, the params contract; every refusal answered as the endpoint answers
/// it (written into memory). The input is header lines (<c>Name: value</c>), a blank line, then the body. A request
/// without <c>Courier-Signature</c> goes to a runner that does not require signatures (so the decoder stays
/// reachable); one with it to a runner with key <see cref="KeyId"/>, whose clock reads <see cref="Now"/>.
/// </summary>
public static class RunnerTarget
{
    /// <summary>The signing key's id.</summary>
    public const string KeyId = "fuzz";

    /// <summary>The signing key's secret (UTF-8 text).</summary>
    public const string Secret = "fuzz-secret-0123456789";

    /// <summary>The host the request is addressed to when it has no Host header.</summary>
    public const string Host = "runner.test";

    /// <summary>The runner's clock: signatures are judged against it.</summary>
    public static DateTimeOffset Now => FuzzGate.Now;

    /// <summary>Runs <paramref name="input"/> as a request; throws only on a bug.</summary>
    public static void Run(ReadOnlySpan<byte> input) => Answer(input);

    /// <summary>Runs <paramref name="input"/> as a request and returns the status answered (200: the handler would run).</summary>
    public static int Answer(ReadOnlySpan<byte> input)
    {
        var split = input.IndexOf("\n\n"u8);
        var head = split < 0 ? input : input[..split];
        var body = split < 0 ? [] : input[(split + 2)..];
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Path = RunnerProtocol.DefaultPath;
        request.Headers.Host = Host;
        foreach (var line in Encoding.UTF8.GetString(head).Split('\n'))
        {
            // Only what Kestrel could hand the endpoint: a header has a non-blank name (a blank one is a harness
            // crash, not a finding: fuzz/regressions/runner/harness-blank-header-name).
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon].Trim() : "";
            if (name.Length > 0)
            {
                request.Headers.Append(name, line[(colon + 1)..].Trim());
            }
        }
        context.Response.Body = new MemoryStream();
        var (status, failure, message) = Check(context, body);
        if (status != StatusCodes.Status200OK)
        {
            FuzzInvariantException.Require(message.Length > 0, $"a {status} answer without a message");
            RunnerAnswer.WriteAsync(context, status, failure, message, null).GetAwaiter().GetResult();
            FuzzInvariantException.Require(context.Response.Body.Length > 0, "the answer is empty");
        }
        return status;
    }

    /// <summary>The answer the endpoint would give before running a handler: 200 when the job would run.</summary>
    private static (int Status, FailureClass Failure, string Message) Check(HttpContext context, ReadOnlySpan<byte> body)
    {
        var request = context.Request;
        if (body.Length > FuzzGate.MaxEventBytes)
        {
            return (StatusCodes.Status413PayloadTooLarge, FailureClass.Decode, $"body is larger than the limit of {FuzzGate.MaxEventBytes} bytes");
        }
        if (request.Headers.ContainsKey(RunnerProtocol.SignatureHeader))
        {
            var options = new CourierRunnerOptions { AcceptV1Signatures = true };
            options.Keys.Add(new RunnerKey(KeyId, Secret));
            var authenticator = new RequestAuthenticator(OptionsOf.Create(options), new FakeTimeProvider(Now));
            var rejection = authenticator.CheckHeaders(request, out var signed);
            if (rejection is null)
            {
                FuzzInvariantException.Require(signed is not null, "headers passed without signed headers");
                rejection = authenticator.Verify(context, signed!, body);
            }
            if (rejection is { } refused)
            {
                return (StatusCodes.Status403Forbidden, FailureClass.Permanent, refused.Message);
            }
        }
        var decoded = FuzzGate.Gate.Decode(body);
        if (decoded.Event is not { } jobEvent)
        {
            return (StatusCodes.Status400BadRequest, FailureClass.Decode, decoded.Error!);
        }
        if (!RunnerRequestHeaders.TryReadExecutionHeaders(request, out _, out _, out var headerError))
        {
            return (StatusCodes.Status400BadRequest, FailureClass.Decode, headerError);
        }
        if (FuzzGate.Gate.Check(jobEvent) is { Passed: false } contract)
        {
            return (StatusCodes.Status400BadRequest, FailureClass.Decode, contract.Error!);
        }
        return (StatusCodes.Status200OK, FailureClass.Retryable, "");
    }
}

using Courier.Server.Intake;
using Microsoft.AspNetCore.Http;

namespace Courier.Fuzz.Targets;

/// <summary>
/// The intake's body handling, as <c>POST /v1/events</c> runs it on the bytes it read: split into events, each
/// gated, and the results answer written (into memory; nothing is appended to a log).
/// </summary>
public static class IntakeTarget
{
    /// <summary>The per-request event limit of the fuzzed intake (small, so the 413 path is reachable).</summary>
    public const int MaxEvents = 64;

    /// <summary>Runs <paramref name="input"/> as a request body; throws only on a bug.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var body = input.ToArray();
        var slices = new List<(int Start, int Length)>();
        if (IntakeBody.Split(body, MaxEvents, slices) is { } refusal)
        {
            FuzzInvariantException.Require(refusal.Status is StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge,
                $"the body was refused with status {refusal.Status}");
            FuzzInvariantException.Require(refusal.Message.Length > 0, "the body was refused without a message");
            return;
        }
        FuzzInvariantException.Require(slices.Count is > 0 and <= MaxEvents, $"the body split into {slices.Count} events");
        var results = new IntakeEventResult[slices.Count];
        var accepted = 0;
        for (var i = 0; i < slices.Count; i++)
        {
            var (start, length) = slices[i];
            FuzzInvariantException.Require(start >= 0 && length > 0 && start + length <= body.Length, $"slice {i} is outside the body");
            results[i] = EventIntake.Inspect(FuzzGate.Gate, FuzzGate.Now, i, body.AsMemory(start, length), out var jobEvent);
            FuzzInvariantException.Require((jobEvent is null) == (results[i].Error is not null), $"event {i}: accepted and rejected disagree");
            FuzzInvariantException.Require(results[i].Error is null || !string.IsNullOrEmpty(results[i].Reason), $"event {i}: rejected without a reason");
            accepted += jobEvent is null ? 0 : 1;
        }
        var status = accepted == results.Length ? StatusCodes.Status201Created
            : accepted == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status207MultiStatus;
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        IntakeAnswer.WriteResultsAsync(context, status, accepted, results).GetAwaiter().GetResult();
        FuzzInvariantException.Require(context.Response.Body.Length > 0, "the answer is empty");
    }
}

using System.Text;
using Courier.Jobs;
using CsCheck;
using Xunit;

namespace Courier.Tests.Jobs;

/// <summary>
/// Any byte sequence a job topic may hold ends the gate's <c>decode</c> with an event or a reason — never an exception
/// (which on the dispatcher's path would fail the job as a handler error, or worse) and never a loop: random bytes,
/// JSON token soup (which reaches far deeper into the reader than random bytes), and mutations of valid events.
/// </summary>
public sealed class JobGatePropertyTests
{
    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "0", "-1.5e300", "1e999", "\"meta\"", "\"id\"", "\"dt\"",
        "\"type\"", "\"params\"", "\"database\"", "\"delay_until\"", "\"$schema\"", "\"params_version\"", "\"sha1\"",
        "\"root_event\"", "\"signature\"", "\"\\ud800\"", "\"\\u0000\"", "\"2019-04-17T10:00:00Z\"", "\"x\"", " ", "\u00e9", "\\",
    ];

    private readonly JobGate _gate = new(new CourierOptions { MaxEventBytes = 2048 });

    internal static readonly Gen<byte[]> TokenSoup =
        Gen.OneOf<string>(Tokens).Array[1, 80].Select(tokens => Encoding.UTF8.GetBytes(string.Concat(tokens)));

    internal static readonly Gen<byte[]> Mutated =
        Gen.Select(JobEventGen.Event, Gen.Int[0, int.MaxValue].Array[1, 6], Gen.Byte.Array[1, 6], Gen.Int[0, 3])
            .Select((jobEvent, positions, values, mode) =>
            {
                var bytes = new JobEventCodec(new CourierOptions()).Encode(jobEvent);
                return mode switch
                {
                    0 => Overwrite(bytes, positions, values),
                    1 => bytes[..(positions[0] % bytes.Length)],
                    2 => [.. bytes[..(positions[0] % bytes.Length)], .. values, .. bytes[(positions[0] % bytes.Length)..]],
                    _ => [.. bytes, .. bytes],
                };
            });

    [Fact]
    public void Inspect_EndsEveryByteSequence_WithAnEventOrAReason()
    {
        Gen.OneOf(Gen.Byte.Array[0, 300], TokenSoup, Mutated).Sample(bytes =>
        {
            var result = _gate.Inspect(bytes);

            Assert.True(result.Passed
                    ? result.Event is not null && result.Reason is null
                    : !string.IsNullOrEmpty(result.Reason) && !string.IsNullOrWhiteSpace(result.Error),
                $"passed={result.Passed} reason={result.Reason} error={result.Error}");
        }, iter: 20_000);
    }

    [Fact]
    public void Inspect_RefusesEveryTokenSoupThatIsNotAnEvent_AsMalformed()
    {
        TokenSoup.Sample(bytes =>
        {
            var result = _gate.Inspect(bytes);

            Assert.True(result.Passed || result.Reason == DecodeReasons.Malformed, result.Reason);
        }, iter: 5_000);
    }

    private static byte[] Overwrite(byte[] bytes, int[] positions, byte[] values)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            bytes[positions[i] % bytes.Length] = values[i % values.Length];
        }
        return bytes;
    }
}

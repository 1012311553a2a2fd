using System.Globalization;
using System.Text;
using Courier.Fuzz.Targets;

namespace Courier.Fuzz.Seeds;

/// <summary>
/// Seed requests for the runner target that a fuzzer could not find by itself: correctly signed ones (v2 and v1,
/// with and without attempt, timeout and probe headers) under the target's key and clock, plus an unsigned one.
/// </summary>
internal static class RunnerSeeds
{
    private const string Body = """
        {"$schema":"/mediawiki/job/1.0.0","meta":{"uri":"https://placeholder.invalid/wiki/Special:Badtitle","request_id":"r1","id":"5f2c0f3e-2b4c-4b8e-9a57-0c1d2e3f4a5b","dt":"2026-01-01T00:00:00Z","domain":"placeholder.invalid","stream":"mediawiki.job.fuzzJob","params_version":"1.0.0"},"database":"testwiki","type":"fuzzJob","params":{"title":{"namespace":0,"dbkey":"Main_Page"},"tags":["a"],"mode":"fast"}}
        """;

    /// <summary>Writes the seeds into <paramref name="directory"/> (created if missing).</summary>
    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var body = Encoding.UTF8.GetBytes(Body);
        var secret = RunnerSignature.ParseSecret(RunnerTarget.Secret);
        var now = RunnerTarget.Now.ToUnixTimeSeconds();
        var nonce = new string('a', 32);
        Save(directory, "unsigned", [$"{RunnerProtocol.AttemptHeader}: 2"], body);
        foreach (var (name, attempt, timeout, probe) in new[] { ("v2", "", "", ""), ("v2-attempt", "3", "5000", ""), ("v2-probe", "1", "", "1") })
        {
            var signed = new RunnerSignedRequest(now, "POST", RunnerProtocol.DefaultPath, RunnerTarget.Host, RunnerTarget.KeyId, nonce, attempt, timeout, probe);
            var headers = new List<string>
            {
                $"{RunnerProtocol.SignatureHeader}: {RunnerSignature.ComputeV2(secret, signed, body)}",
                $"{RunnerProtocol.KeyIdHeader}: {RunnerTarget.KeyId}",
                $"{RunnerProtocol.TimestampHeader}: {now.ToString(CultureInfo.InvariantCulture)}",
                $"{RunnerProtocol.NonceHeader}: {nonce}",
            };
            AddIfSet(headers, RunnerProtocol.AttemptHeader, attempt);
            AddIfSet(headers, RunnerProtocol.TimeoutHeader, timeout);
            AddIfSet(headers, RunnerProtocol.ProbeHeader, probe);
            Save(directory, name, headers, body);
        }
        Save(directory, "v1", [
            $"{RunnerProtocol.SignatureHeader}: {RunnerSignature.ComputeV1(secret, now, body)}",
            $"{RunnerProtocol.KeyIdHeader}: {RunnerTarget.KeyId}",
            $"{RunnerProtocol.TimestampHeader}: {now.ToString(CultureInfo.InvariantCulture)}",
        ], body);
    }

    private static void AddIfSet(List<string> headers, string name, string value)
    {
        if (value.Length > 0)
        {
            headers.Add($"{name}: {value}");
        }
    }

    private static void Save(string directory, string name, IEnumerable<string> headers, byte[] body)
    {
        using var file = File.Create(Path.Combine(directory, $"seed-{name}"));
        file.Write(Encoding.UTF8.GetBytes(string.Join('\n', headers) + "\n\n"));
        file.Write(body);
    }
}

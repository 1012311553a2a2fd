using System.Text;
using Courier.Jobs;
using Courier.Testing;
using CsCheck;
using Xunit;

namespace Courier.Tests.Jobs;

/// <summary>
/// The dispatcher's decode (<see cref="JobEventCodec.DecodeRecord"/>: params left as the record's bytes, bound from
/// them) must read exactly what the full decoder reads: the same events accepted with the same fields and params,
/// the same refusals with the same messages, and the same binding verdicts — on random, token-soup, mutated and valid
/// events and on every input of the decoder's fuzz corpus.
/// </summary>
public sealed class LazyDecodeTests
{
    private readonly JobEventCodec _codec = new(new CourierOptions { MaxEventBytes = 4096 });

    [Fact]
    public void DecodeRecord_ReadsWhatDecodeReads_OnEveryByteSequence()
    {
        var valid = JobEventGen.Event.Select(e => new JobEventCodec(new CourierOptions()).Encode(e));
        Gen.OneOf(Gen.Byte.Array[0, 300], JobGatePropertyTests.TokenSoup, JobGatePropertyTests.Mutated, valid)
            .Sample(AssertSameReading, iter: 20_000);
    }

    [Fact]
    public void DecodeRecord_ReadsWhatDecodeReads_OnTheDecoderFuzzCorpus()
    {
        var directory = Path.Combine(RepositoryRoot.Path, "fuzz", "corpus", "decoder");
        var files = Directory.GetFiles(directory).Where(f => Path.GetExtension(f) != ".md").ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            AssertSameReading(File.ReadAllBytes(file));
        }
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1,"\u0061":2}""")]
    [InlineData("""{"a":{"b":1,"b":2}}""")]
    [InlineData("""{"a":[{"x":1},{"x":1,"x":2}]}""")]
    [InlineData("""{"\ud800":1,"\ud800":2}""")]
    [InlineData("""{"a":1,"b":{"a":1}}""")]
    [InlineData("""[]""")]
    [InlineData("""{}""")]
    // The check stops at the first repeat and reads the rest of params to its end: what follows must still be read.
    [InlineData("""{"a":1,"a":2,"b":[{"c":{"d":[1,2]}}],"e":"x"}""")]
    [InlineData("""{"a":1,"a":2,"b":[1,}""")]
    [InlineData("""{"a":{"x":1,"x":2}} """)]
    public void DecodeRecord_RefusesAndAcceptsParamsLikeDecode(string parameters)
    {
        AssertSameReading(Encoding.UTF8.GetBytes(
            $$"""{"meta":{"id":"e1","dt":"2026-12-05T00:00:00Z"},"database":"enwiki","type":"t","params":{{parameters}}}"""));
    }

    [Theory]
    [InlineData(33, 1, true)]   // more siblings than the fast check compares: the parse decides
    [InlineData(1, 63, true)]   // as deep as params may nest (the event's object is the 64th level)
    [InlineData(1, 64, false)]  // one level deeper
    public void DecodeRecord_ReadsLargeAndDeepParamsLikeDecode(int siblings, int depth, bool accepted)
    {
        var inner = "{" + string.Join(",", Enumerable.Range(0, siblings).Select(i => $"\"k{i}\":{i}")) + "}";
        var parameters = string.Concat(Enumerable.Repeat("{\"n\":", depth - 1)) + inner + new string('}', depth - 1);
        var bytes = Encoding.UTF8.GetBytes(
            $$"""{"meta":{"id":"e1","dt":"2026-12-05T00:00:00Z"},"database":"enwiki","type":"t","params":{{parameters}}}""");
        AssertSameReading(bytes);
        Assert.Equal(accepted, _codec.DecodeRecord(bytes).Success);
    }

    [Theory]
    [InlineData("\"e1\"")]
    [InlineData("\"\\u00e9-\\\"q\\\"\"")]   // escaped: read at once, as Decode does
    [InlineData("\"\u00e9-\u00fc-\u4e2d\"")] // not ASCII, unescaped: left as bytes, read on first use
    [InlineData("\"\"")]
    [InlineData("\"\\ud800\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void DecodeRecord_ReadsMetaIdLikeDecode(string id)
    {
        var bytes = Encoding.UTF8.GetBytes(
            $$$"""{"meta":{"id":{{{id}}},"dt":"2026-12-05T00:00:00Z"},"database":"enwiki","type":"t","params":{}}""");
        AssertSameReading(bytes);
        if (_codec.DecodeRecord(bytes).Event is { } lazy)
        {
            Assert.Equal(_codec.Decode(bytes).Event!.Meta.Id, lazy.Meta.Id);
            Assert.Same(lazy.Meta.Id, lazy.Meta.Id); // made once, then kept
        }
    }

    [Fact]
    public void Binding_FromTheRecordBytes_GivesWhatBindingTheElementGives()
    {
        var values = Gen.OneOf(Gen.Const("1"), Gen.Const("\"x\""), Gen.Const("null"), Gen.Const("1.5"), Gen.Const("{}"), Gen.Const("[1]"),
            Gen.Const("99999999999"), Gen.Const("\"\\u00e9\""), Gen.Const("true"));
        Gen.Select(values, values, Gen.Bool).Sample((count, name, extra) =>
        {
            var parameters = $$"""{"count":{{count}},"name":{{name}}{{(extra ? ",\"other\":[1,{\"a\":2}]" : "")}}}""";
            var bytes = Encoding.UTF8.GetBytes(
                $$"""{"meta":{"id":"e1","dt":"2026-12-05T00:00:00Z"},"database":"enwiki","type":"t","params":{{parameters}}}""");
            var registry = new JobHandlerRegistry(new CourierOptions()).Add("t", new NoopHandler());

            var eager = _codec.Decode(bytes).Event!;
            var lazy = _codec.DecodeRecord(bytes).Event!;

            Assert.False(lazy.ParamsUtf8.IsEmpty);
            Assert.Equal(registry.TryBind(eager, out var eagerReason, out var eagerError), registry.TryBind(lazy, out var lazyReason, out var lazyError));
            Assert.Equal(eagerReason, lazyReason);
            Assert.Equal(eagerError, lazyError);
        }, iter: 500);
    }

    private void AssertSameReading(byte[] bytes)
    {
        var eager = _codec.Decode(bytes);
        var lazy = _codec.DecodeRecord(bytes);

        Assert.Equal(eager.Error, lazy.Error);
        Assert.Equal(eager.Success, lazy.Success);
        if (eager.Event is { } expected)
        {
            JobEventAssert.Equal(expected, lazy.Event!, rawParams: true);
        }
    }

    private sealed record Counted(int Count, string? Name);

    private sealed class NoopHandler : IJobHandler<Counted>
    {
        public ValueTask<JobResult> HandleAsync(Job<Counted> job, JobContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JobResult.Success);
    }
}

using System.Text;
using Courier.Jobs;
using Xunit;

namespace Courier.Tests.Jobs;

/// <summary>The one decode-and-contract gate every entry point uses: each way it refuses, and what it lets through.</summary>
public sealed class JobGateTests
{
    private static readonly ParamsSchemaRegistry Schemas = ParamsSchemaRegistry.Create(
    [
        ParamsSchema.Parse("alpha", new ParamsSchemaVersion(1, 0, 0),
            """{"type":"object","additionalProperties":false,"properties":{"name":{"type":"string"}},"required":["name"]}""", "alpha/1.0.0.json"),
    ]);

    [Fact]
    public void Inspect_PassesAnEventThatMeetsTheSchemaOfItsVersion()
    {
        var result = Gate().Inspect(Event("alpha", "1.0.0", """{"name":"x"}"""));

        Assert.True(result.Passed);
        Assert.Equal("alpha", result.Event!.Type);
        Assert.Null(result.Reason);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("not json", "not valid JSON at byte ")]
    [InlineData("", "the record is empty")]
    [InlineData("""{"meta":{"id":"1","dt":"2019-04-17T10:00:00Z"},"database":"enwiki","type":"alpha"}""", "$.params: required field is missing")]
    public void Inspect_RefusesARecordThatDoesNotDecode_AsMalformed(string record, string error)
    {
        var result = Gate().Inspect(Encoding.UTF8.GetBytes(record));

        AssertRefused(result, DecodeReasons.Malformed, error);
        Assert.Null(result.Event);
    }

    [Fact]
    public void Inspect_RefusesAnEventOverTheSizeLimit_AsMalformed()
    {
        var gate = new JobGate(new CourierOptions { MaxEventBytes = 64, ParamsSchemas = Schemas });

        var result = gate.Inspect(Event("alpha", "1.0.0", """{"name":"x"}"""));

        AssertRefused(result, DecodeReasons.Malformed, "bytes; the limit is 64");
        Assert.Equal(64, gate.MaxEventBytes);
    }

    [Fact]
    public void Inspect_RefusesParamsThatBreakTheirSchema_KeepingTheEvent()
    {
        var result = Gate().Inspect(Event("alpha", "1.0.0", """{"name":3}"""));

        AssertRefused(result, DecodeReasons.SchemaMismatch, "alpha params do not match params schema 1.0.0: params.name");
        Assert.Equal("alpha", result.Event!.Type);
    }

    [Fact]
    public void Inspect_RefusesAVersionTheTypeDoesNotHave()
    {
        AssertRefused(Gate().Inspect(Event("alpha", "2.0.0", """{"name":"x"}""")), DecodeReasons.UnknownVersion, "has no params schema version 2.0.0");
        AssertRefused(Gate().Inspect(Event("alpha", "one", """{"name":"x"}""")), DecodeReasons.UnknownVersion, "meta.params_version:");
    }

    [Fact]
    public void Inspect_RefusesAnEventNamingNoVersion_OnlyWhenVersionsAreRequired()
    {
        AssertRefused(Gate(requireVersion: true).Inspect(Event("alpha", null, """{"name":"x"}""")), DecodeReasons.MissingVersion,
            "meta.params_version is missing");
        Assert.True(Gate().Inspect(Event("alpha", null, """{"name":3}""")).Passed);
    }

    [Fact]
    public void Inspect_RefusesATypeWithoutSchemas_OnlyWhenSchemasAreRequired()
    {
        AssertRefused(Gate(requireSchemas: true).Inspect(Event("beta", "1.0.0", "{}")), DecodeReasons.NoSchema,
            "job type 'beta' has no params schema");
        Assert.True(Gate().Inspect(Event("beta", "1.0.0", "{}")).Passed);
    }

    [Fact]
    public void Inspect_WithoutSchemas_OnlyDecodes()
    {
        var gate = new JobGate(new CourierOptions { RequireParamsSchemas = true, RequireParamsVersion = true });

        Assert.True(gate.Inspect(Event("alpha", null, """{"name":3}""")).Passed);
        AssertRefused(gate.Inspect("[]"u8), DecodeReasons.Malformed, "$: must be an object, got array");
    }

    [Fact]
    public void DecodeAndCheck_AreTheTwoStepsOfInspect()
    {
        var gate = Gate();
        var decoded = gate.Decode(Event("alpha", "1.0.0", """{"name":3}"""));

        Assert.True(decoded.Passed);
        AssertRefused(gate.Check(decoded.Event!), DecodeReasons.SchemaMismatch, "params.name");
        AssertRefused(gate.Decode("{"u8), DecodeReasons.Malformed, "not valid JSON");
    }

    [Fact]
    public void ToJobResult_IsADecodeFailureWithItsReason_AndOnlyForARefusal()
    {
        var refused = Gate().Inspect(Event("alpha", "2.0.0", """{"name":"x"}""")).ToJobResult();

        Assert.Equal(FailureClass.Decode, refused.Failure);
        Assert.Equal(DecodeReasons.UnknownVersion, refused.DecodeReason);
        Assert.Contains("2.0.0", refused.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Gate().Inspect(Event("alpha", "1.0.0", """{"name":"x"}""")).ToJobResult());
    }

    private static JobGate Gate(bool requireSchemas = false, bool requireVersion = false) =>
        new(new CourierOptions { ParamsSchemas = Schemas, RequireParamsSchemas = requireSchemas, RequireParamsVersion = requireVersion });

    private static byte[] Event(string type, string? version, string parameters)
    {
        var versionField = version is null ? "" : $",\"params_version\":\"{version}\"";
        return Encoding.UTF8.GetBytes(
            $$"""{"meta":{"id":"1","dt":"2019-04-17T10:00:00Z"{{versionField}}},"database":"enwiki","type":"{{type}}","params":{{parameters}}}""");
    }

    private static void AssertRefused(JobGateResult result, string reason, string error)
    {
        Assert.False(result.Passed);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Xunit;

namespace Courier.Tests.Contracts;

/// <summary>What a mismatch says: the field path from <c>params</c>, the rule, and (in the check's error) type and version.</summary>
public sealed class ParamsValidationTests
{
    private static readonly ParamsSchema Schema = ParamsSchema.Parse("massMessage", new ParamsSchemaVersion(2, 0, 0), """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "required": ["title", "recipient"],
          "properties": {
            "title": {
              "type": "object",
              "additionalProperties": false,
              "required": ["namespace", "dbkey"],
              "properties": { "namespace": { "type": "integer" }, "dbkey": { "type": "string", "minLength": 1 } }
            },
            "recipient": { "type": "string" },
            "kind": { "enum": ["talk", "email"] },
            "sent": { "type": "string", "format": "date-time" },
            "pages": { "type": "array", "items": { "type": "integer" } },
            "odd key": { "type": "integer" }
          }
        }
        """, "massMessage/2.0.0.json");

    private static readonly ParamsSchemaRegistry Registry = ParamsSchemaRegistry.Create([Schema]);

    private static IReadOnlyList<ParamsViolation> Validate(string json) => Schema.Validate(JsonElement.Parse(json));

    [Fact]
    public void Validate_FindsNothing_WhenTheParamsMatch()
    {
        Assert.Empty(Validate("""{"title": {"namespace": 3, "dbkey": "Example"}, "recipient": "Example", "pages": [1, 2]}"""));
    }

    [Fact]
    public void Validate_NamesAMissingRequiredField_ByItsOwnPath()
    {
        // The 2019 shape: the title as a bare string, its namespace gone.
        var violations = Validate("""{"title": {"dbkey": "Example"}, "recipient": "Example"}""");

        var v = Assert.Single(violations);
        Assert.Equal("params.title.namespace", v.Path);
        Assert.Equal("required", v.Rule);
        Assert.Equal("params.title.namespace: required: missing (the schema requires it)", v.ToString());
    }

    [Fact]
    public void Validate_NamesEachMissingTopLevelField()
    {
        var violations = Validate("{}");

        Assert.Equal(["params.title", "params.recipient"], violations.Select(v => v.Path));
        Assert.All(violations, v => Assert.Equal("required", v.Rule));
    }

    [Fact]
    public void Validate_NamesAFieldTheClosedModelRefuses_AsAdditionalProperties()
    {
        var violations = Validate("""{"title": {"namespace": 3, "dbkey": "E", "ns": 3}, "recipient": "E", "page_title": "E"}""");

        Assert.Equal(["params.title.ns", "params.page_title"], violations.Select(v => v.Path).Order(StringComparer.Ordinal).Reverse());
        Assert.All(violations, v => Assert.Equal("additionalProperties", v.Rule));
        Assert.Contains("closed", violations[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"title": {"namespace": "3", "dbkey": "E"}, "recipient": "E"}""", "params.title.namespace", "type")]
    [InlineData("""{"title": {"namespace": 3, "dbkey": ""}, "recipient": "E"}""", "params.title.dbkey", "minLength")]
    [InlineData("""{"title": {"namespace": 3, "dbkey": "E"}, "recipient": "E", "kind": "fax"}""", "params.kind", "enum")]
    [InlineData("""{"title": {"namespace": 3, "dbkey": "E"}, "recipient": "E", "sent": "yesterday"}""", "params.sent", "format")]
    [InlineData("""{"title": {"namespace": 3, "dbkey": "E"}, "recipient": "E", "pages": [1, "two"]}""", "params.pages[1]", "type")]
    [InlineData("""{"title": {"namespace": 3, "dbkey": "E"}, "recipient": "E", "odd key": "x"}""", "params['odd key']", "type")]
    [InlineData("""{"title": "User_talk:Example", "recipient": "E"}""", "params.title", "type")]
    public void Validate_NamesTheFieldAndTheRule(string json, string path, string rule)
    {
        var v = Assert.Single(Validate(json));
        Assert.Equal(path, v.Path);
        Assert.Equal(rule, v.Rule);
        Assert.NotEmpty(v.Message);
    }

    [Fact]
    public void Validate_ReportsAllFields_UpToTheLimit()
    {
        var violations = Validate("""{"title": {"namespace": "3"}, "recipient": 5, "kind": "fax"}""");

        Assert.Equal(
            ["params.kind: enum", "params.recipient: type", "params.title.dbkey: required", "params.title.namespace: type"],
            violations.Select(v => $"{v.Path}: {v.Rule}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Validate_GivesTheSameAnswers_FromManyThreadsAtOnce()
    {
        // One schema serves every dispatcher worker: evaluation must not share mutable state between calls.
        var good = JsonElement.Parse("""{"title": {"namespace": 3, "dbkey": "E"}, "recipient": "E"}""");
        var bad = JsonElement.Parse("""{"title": {"namespace": "3", "dbkey": "E"}, "recipient": "E", "x": 1}""");
        var expected = string.Join("; ", Schema.Validate(bad));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var wrong = 0;
            for (var i = 0; i < 300; i++)
            {
                wrong += Schema.Validate(good).Count == 0 ? 0 : 1;
                wrong += string.Join("; ", Schema.Validate(bad)) == expected ? 0 : 1;
            }
            return wrong;
        }, TestContext.Current.CancellationToken)));

        Assert.All(answers, wrong => Assert.Equal(0, wrong));
        Assert.Equal(2, Schema.Validate(bad).Count);
    }

    [Fact]
    public void Check_Mismatch_NamesTypeVersionFieldAndRule()
    {
        var check = Registry.Check("massMessage", "2.0.0", JsonElement.Parse("""{"title": {"dbkey": "E"}, "recipient": "E"}"""), requireSchema: false);

        Assert.False(check.IsAccepted);
        Assert.Equal(ParamsCheckOutcome.Mismatch, check.Outcome);
        Assert.Equal("schema_mismatch", check.Reason);
        Assert.Same(Schema, check.Schema);
        Assert.Equal("massMessage params do not match params schema 2.0.0: params.title.namespace: required: missing (the schema requires it)", check.Error);
    }

    [Fact]
    public void Check_UnknownVersion_NamesTheVersionsKnown()
    {
        var check = Registry.Check("massMessage", "3.0.0", JsonElement.Parse("{}"), requireSchema: false);

        Assert.Equal(ParamsCheckOutcome.UnknownVersion, check.Outcome);
        Assert.Equal("unknown_version", check.Reason);
        Assert.Equal("job type 'massMessage' has no params schema version 3.0.0; known versions: 2.0.0", check.Error);
    }

    [Fact]
    public void Check_VersionThatIsNotAVersion_IsUnknown()
    {
        var check = Registry.Check("massMessage", "two", JsonElement.Parse("{}"), requireSchema: false);

        Assert.Equal(ParamsCheckOutcome.UnknownVersion, check.Outcome);
        Assert.StartsWith("meta.params_version: 'two' is not a params schema version", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, ParamsCheckOutcome.Unchecked)]
    [InlineData(true, ParamsCheckOutcome.MissingVersion)]
    public void Check_NoVersion_IsUncheckedUnlessRequired(bool require, ParamsCheckOutcome outcome)
    {
        var check = Registry.Check("massMessage", null, JsonElement.Parse("""{"anything": 1}"""), requireSchema: true, requireVersion: require);

        Assert.Equal(outcome, check.Outcome);
        Assert.Equal(!require, check.IsAccepted);
        if (require)
        {
            Assert.Equal("meta.params_version is missing: job type 'massMessage' has params schemas 2.0.0, and jobs must name their version", check.Error);
        }
    }

    [Theory]
    [InlineData(false, null, ParamsCheckOutcome.Unchecked)]
    [InlineData(false, "1.0.0", ParamsCheckOutcome.Unchecked)]
    [InlineData(true, null, ParamsCheckOutcome.NoSchema)]
    [InlineData(true, "1.0.0", ParamsCheckOutcome.NoSchema)]
    public void Check_TypeWithoutSchema_IsUncheckedUnlessRequired(bool require, string? version, ParamsCheckOutcome outcome)
    {
        var check = Registry.Check("refreshLinks", version, JsonElement.Parse("{}"), requireSchema: require, requireVersion: true);

        Assert.Equal(outcome, check.Outcome);
        Assert.Equal(!require, check.IsAccepted);
        Assert.Equal(require ? "job type 'refreshLinks' has no params schema, and params schemas are required" : null, check.Error);
    }
}

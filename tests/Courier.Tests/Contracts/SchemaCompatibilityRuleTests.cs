using Xunit;
using static Courier.Tests.Contracts.Schemas;

namespace Courier.Tests.Contracts;

/// <summary>
/// Every rule, in both directions: each row is a change from an older to a newer version and the violations it must
/// produce when new readers read old jobs (backward) and when old readers read new jobs (forward). Most rules have a
/// row for the change and one for its reverse, which breaks the other direction.
/// </summary>
public sealed class SchemaCompatibilityRuleTests
{
    private const string A = "'a':{'type':'string'}";

    public static TheoryData<string, string, string, string, string> Rules => new()
    {
        // name, older, newer, backward findings, forward findings ("path rule; path rule")
        { "required property added to a closed model", C(A, "a"), C(A + ",'b':{'type':'string'}", "a", "b"),
            "params.b property-added-required", "params.b property-added-required" },
        { "required property removed from a closed model", C(A + ",'b':{'type':'string'}", "a", "b"), C(A, "a"),
            "params.b property-removed", "params.b property-removed" },
        { "required property added to an open model", O(A), O(A + ",'b':{'type':'string'}", "b"),
            "params.b property-added-required", "" },
        { "optional property added to a closed model", C(A), C(A + ",'b':{'type':'string'}"),
            "", "params.b property-added" },
        { "optional property added to an open model", O(A), O(A + ",'b':{'type':'string'}"),
            "params.b property-added", "" },
        { "unconstrained optional property added to an open model", O(A), O(A + ",'b':{'description':'anything'}"),
            "", "" },
        { "optional property removed from a closed model", C(A + ",'b':{'type':'string'}"), C(A),
            "params.b property-removed", "" },
        { "optional property removed from an open model", O(A + ",'b':{'type':'string'}"), O(A),
            "", "params.b property-removed" },
        { "property made required", C(A + ",'b':{'type':'string'}", "a"), C(A + ",'b':{'type':'string'}", "a", "b"),
            "params.b required-added", "" },
        { "property made optional", C(A + ",'b':{'type':'string'}", "a", "b"), C(A + ",'b':{'type':'string'}", "a"),
            "", "params.b required-removed" },
        { "type narrowed", C("'a':{'type':['string','null']}"), C(A),
            "params.a type-narrowed", "" },
        { "type widened", C(A), C("'a':{'type':['string','null']}"),
            "", "params.a type-widened" },
        { "integer widened to number", C("'a':{'type':'integer'}"), C("'a':{'type':'number'}"),
            "", "params.a type-widened" },
        { "number narrowed to integer", C("'a':{'type':'number'}"), C("'a':{'type':'integer'}"),
            "params.a type-narrowed", "" },
        { "type changed", C(A), C("'a':{'type':'integer'}"),
            "params.a type-changed", "params.a type-changed" },
        { "type added where any value was allowed", C("'a':{}"), C(A),
            "params.a type-narrowed", "" },
        { "enum narrowed", C("'a':{'enum':['x','y']}"), C("'a':{'enum':['x']}"),
            "params.a enum-narrowed", "" },
        { "enum widened", C("'a':{'enum':['x']}"), C("'a':{'enum':['x','y']}"),
            "", "params.a enum-widened" },
        { "enum added", C(A), C("'a':{'type':'string','enum':['x']}"),
            "params.a enum-narrowed", "" },
        { "enum removed", C("'a':{'type':'string','enum':['x']}"), C(A),
            "", "params.a enum-widened" },
        { "enum reordered", C("'a':{'enum':['x','y',1]}"), C("'a':{'enum':[1.0,'y','x']}"),
            "", "" },
        { "boolean enum of both values is the boolean type", C("'a':{'type':'boolean'}"), C("'a':{'enum':[true,false]}"),
            "", "" },
        { "const changed", C("'a':{'const':'x'}"), C("'a':{'const':'y'}"),
            "params.a const-changed", "params.a const-changed" },
        { "const added", C(A), C("'a':{'type':'string','const':'x'}"),
            "params.a const-changed", "" },
        { "const replaced by the same single-value enum", C("'a':{'const':'x'}"), C("'a':{'enum':['x']}"),
            "", "" },
        { "format added", C(A), C("'a':{'type':'string','format':'date'}"),
            "params.a format-added", "" },
        { "format removed", C("'a':{'type':'string','format':'date'}"), C(A),
            "", "params.a format-removed" },
        { "format changed", C("'a':{'type':'string','format':'date'}"), C("'a':{'type':'string','format':'date-time'}"),
            "params.a format-changed", "params.a format-changed" },
        { "format on a property that cannot be a string", C("'a':{'type':'integer'}"), C("'a':{'type':'integer','format':'date'}"),
            "", "" },
        { "pattern added", C(A), C("'a':{'type':'string','pattern':'^x'}"),
            "params.a pattern-added", "" },
        { "pattern removed", C("'a':{'type':'string','pattern':'^x'}"), C(A),
            "", "params.a pattern-removed" },
        { "pattern changed", C("'a':{'type':'string','pattern':'^x'}"), C("'a':{'type':'string','pattern':'^[xy]'}"),
            "params.a pattern-changed", "params.a pattern-changed" },
        { "maxLength tightened", C("'a':{'type':'string','maxLength':10}"), C("'a':{'type':'string','maxLength':5}"),
            "params.a bounds-tightened", "" },
        { "maxLength loosened", C("'a':{'type':'string','maxLength':5}"), C("'a':{'type':'string','maxLength':10}"),
            "", "params.a bounds-loosened" },
        { "minLength added", C(A), C("'a':{'type':'string','minLength':1}"),
            "params.a bounds-tightened", "" },
        { "minLength removed", C("'a':{'type':'string','minLength':1}"), C(A),
            "", "params.a bounds-loosened" },
        { "minimum raised", C("'a':{'type':'number','minimum':0}"), C("'a':{'type':'number','minimum':1}"),
            "params.a bounds-tightened", "" },
        { "maximum raised", C("'a':{'type':'number','maximum':1}"), C("'a':{'type':'number','maximum':2}"),
            "", "params.a bounds-loosened" },
        { "minimum made exclusive", C("'a':{'type':'number','minimum':0}"), C("'a':{'type':'number','exclusiveMinimum':0}"),
            "params.a bounds-tightened", "" },
        { "exclusive minimum 0 is minimum 1 for integers", C("'a':{'type':'integer','exclusiveMinimum':0}"), C("'a':{'type':'integer','minimum':1}"),
            "", "" },
        { "exclusive maximum made inclusive", C("'a':{'type':'number','exclusiveMaximum':5}"), C("'a':{'type':'number','maximum':5}"),
            "", "params.a bounds-loosened" },
        { "multipleOf made coarser", C("'a':{'type':'number','multipleOf':2}"), C("'a':{'type':'number','multipleOf':4}"),
            "params.a bounds-tightened", "" },
        { "multipleOf made finer", C("'a':{'type':'number','multipleOf':4}"), C("'a':{'type':'number','multipleOf':2}"),
            "", "params.a bounds-loosened" },
        { "multipleOf 1 on integers", C("'a':{'type':'integer'}"), C("'a':{'type':'integer','multipleOf':1}"),
            "", "" },
        { "minItems raised", C("'a':{'type':'array','minItems':1}"), C("'a':{'type':'array','minItems':2}"),
            "params.a bounds-tightened", "" },
        { "maxItems lowered", C("'a':{'type':'array','maxItems':3}"), C("'a':{'type':'array','maxItems':2}"),
            "params.a bounds-tightened", "" },
        { "uniqueItems added", C("'a':{'type':'array'}"), C("'a':{'type':'array','uniqueItems':true}"),
            "params.a bounds-tightened", "" },
        { "uniqueItems removed", C("'a':{'type':'array','uniqueItems':true}"), C("'a':{'type':'array'}"),
            "", "params.a bounds-loosened" },
        { "maxProperties lowered", C("'a':{'type':'object','maxProperties':3}"), C("'a':{'type':'object','maxProperties':2}"),
            "params.a bounds-tightened", "" },
        { "model closed", O(A), C(A),
            "params additional-properties-closed", "" },
        { "model opened", C(A), O(A),
            "", "params additional-properties-opened" },
        { "additionalProperties schema narrowed", O(A).Replace("}},", "}},'additionalProperties':{'type':['string','null']},"), O(A).Replace("}},", "}},'additionalProperties':{'type':'string'},"),
            "params.* type-narrowed", "" },
        { "nested required property added", C("'page':{'type':'object','additionalProperties':false,'properties':{'title':{'type':'string'}},'required':['title']}", "page"),
            C("'page':{'type':'object','additionalProperties':false,'properties':{'title':{'type':'string'},'ns':{'type':'integer'}},'required':['title','ns']}", "page"),
            "params.page.ns property-added-required", "params.page.ns property-added-required" },
        { "array items type changed", C("'list':{'type':'array','items':{'type':'string'}}"), C("'list':{'type':'array','items':{'type':'integer'}}"),
            "params.list[] type-changed", "params.list[] type-changed" },
        { "items of objects gain a required property",
            C("'list':{'type':'array','items':{'type':'object','additionalProperties':false,'properties':{'x':{'type':'string'}}}}"),
            C("'list':{'type':'array','items':{'type':'object','additionalProperties':false,'properties':{'x':{'type':'string'}},'required':['x']}}"),
            "params.list[].x required-added", "" },
        { "$ref target tightened", D("'t':{'type':'string','maxLength':10}", "'a':{'$ref':'#/$defs/t'}"), D("'t':{'type':'string','maxLength':5}", "'a':{'$ref':'#/$defs/t'}"),
            "params.a bounds-tightened", "" },
        { "inline schema moved into $defs", C("'a':{'type':'string','maxLength':5}"), D("'t':{'type':'string','maxLength':5}", "'a':{'$ref':'#/$defs/t','description':'moved'}"),
            "", "" },
        { "assertion next to a $ref tightened", D("'t':{'type':'string'}", "'a':{'$ref':'#/$defs/t','maxLength':5}"), D("'t':{'type':'string'}", "'a':{'$ref':'#/$defs/t','maxLength':3}"),
            "params.a bounds-tightened", "" },
        { "$ref target narrowed under an unchanged assertion", D("'t':{'type':['string','null']}", "'a':{'$ref':'#/$defs/t','maxLength':5}"), D("'t':{'type':'string'}", "'a':{'$ref':'#/$defs/t','maxLength':5}"),
            "params.a type-narrowed", "" },
        { "annotations changed", C("'a':{'type':'string','description':'old','title':'A','examples':['x']}"), C("'a':{'type':'string','description':'new','default':'y','deprecated':true}"),
            "", "" },
        { "type written as an array of one", C(A), C("'a':{'type':['string']}"),
            "", "" },
        { "unsupported keyword changed", C("'a':{'type':'string','anyOf':[{'maxLength':3},{'pattern':'^x'}]}"), C("'a':{'type':'string','anyOf':[{'maxLength':4},{'pattern':'^x'}]}"),
            "params.a unsupported-change", "params.a unsupported-change" },
        { "unsupported keyword added", C(A), C("'a':{'type':'string','not':{'const':'x'}}"),
            "params.a unsupported-change", "params.a unsupported-change" },
        { "unsupported keyword unchanged", C("'a':{'type':'string','not':{'const':'x','description':'old'}}"), C("'a':{'type':'string','not':{'const':'x','description':'new'}}"),
            "", "" },
        { "unsupported keyword unchanged while a sibling tightens", C("'a':{'type':'string','not':{'const':'x'}}"), C("'a':{'type':'string','not':{'const':'x'},'maxLength':3}"),
            "params.a bounds-tightened", "" },
        { "malformed known keyword", C("'a':{'type':'string','maxLength':'ten'}"), C("'a':{'type':'string','maxLength':'eleven'}"),
            "params.a unsupported-change", "params.a unsupported-change" },
        { "unknown keyword", C("'a':{'type':'string','x-courier-hint':1}"), C("'a':{'type':'string','x-courier-hint':2}"),
            "params.a unsupported-change", "params.a unsupported-change" },
        { "properties next to patternProperties", C(A).Replace("'properties'", "'patternProperties':{'^x':{'type':'string'}},'properties'"),
            C(A + ",'b':{'type':'string'}").Replace("'properties'", "'patternProperties':{'^x':{'type':'string'}},'properties'"),
            "params unsupported-change", "params unsupported-change" },
        { "reference outside the document", C("'a':{'$ref':'other.json'}"), C("'a':{'$ref':'another.json'}"),
            "params.a unsupported-change", "params.a unsupported-change" },
        { "property forbidden with false", C(A + ",'b':{'type':'string'}"), C(A + ",'b':false"),
            "params.b type-narrowed", "" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Compare_ReportsTheRule_InTheDirectionItBreaks(string change, string older, string newer, string backward, string forward)
    {
        Assert.True(Expected(backward).SequenceEqual(Found(Doc(older), Doc(newer), CompatibilityDirection.Backward)),
            $"{change}, backward: expected [{backward}], found [{string.Join("; ", Found(Doc(older), Doc(newer), CompatibilityDirection.Backward))}]");
        Assert.True(Expected(forward).SequenceEqual(Found(Doc(older), Doc(newer), CompatibilityDirection.Forward)),
            $"{change}, forward: expected [{forward}], found [{string.Join("; ", Found(Doc(older), Doc(newer), CompatibilityDirection.Forward))}]");
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Compare_SwappingTheVersions_SwapsTheDirectionsThatBreak(string change, string older, string newer, string backward, string forward)
    {
        _ = (backward, forward);
        // Backward from a to b is forward from b to a: the same paths break, named from the other side.
        var there = Found(Doc(older), Doc(newer), CompatibilityDirection.Backward).Select(PathOf).Order(StringComparer.Ordinal);
        var back = Found(Doc(newer), Doc(older), CompatibilityDirection.Forward).Select(PathOf).Order(StringComparer.Ordinal);
        Assert.True(there.SequenceEqual(back), change);
    }

    [Fact]
    public void Compare_UnsupportedChange_IsReportedOnce_WhenBothDirectionsAreChecked()
    {
        var older = Doc(C("'a':{'type':'string','not':{'const':'x'}}"));
        var newer = Doc(C("'a':{'type':'string','not':{'const':'y'}}"));

        var violation = Assert.Single(SchemaCompatibilityChecker.Compare("t", V1, older, V2, newer, CompatibilityMode.Full));

        Assert.Equal(SchemaCompatibilityRules.UnsupportedChange, violation.Rule);
        Assert.Null(violation.Direction);
        Assert.Contains("'not' changed", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NamesTypeVersionsModePathAndRule_InItsLine()
    {
        var violation = Assert.Single(SchemaCompatibilityChecker.Compare("refreshLinks", new ParamsSchemaVersion(1, 2, 0), Doc(C(A)),
            new ParamsSchemaVersion(1, 3, 0), Doc(C("'a':{'type':'string','maxLength':5}")), CompatibilityMode.BackwardTransitive));

        Assert.Equal(
            "refreshLinks 1.2.0→1.3.0 BACKWARD_TRANSITIVE: params.a: bounds-tightened: maxLength none → 5: jobs written with 1.2.0 may hold strings longer than 5 characters, which readers on 1.3.0 refuse",
            violation.ToString());
        Assert.Equal(CompatibilityDirection.Backward, violation.Direction);
    }

    [Fact]
    public void Compare_RecursiveSchemas_Terminate_AndFindChangesBelowTheCycle()
    {
        const string node = "{'type':'object','additionalProperties':false,'properties':{'name':{'type':'string'},'children':{'type':'array','items':{'$ref':'#'}}}}";
        var older = Doc(node);
        var newer = Doc(node.Replace("{'type':'string'}", "{'type':'string','minLength':1}", StringComparison.Ordinal));

        Assert.Empty(SchemaCompatibilityChecker.Compare("t", V1, older, V2, older, CompatibilityMode.Full));
        Assert.Equal(["params.name bounds-tightened"], Found(older, newer, CompatibilityDirection.Backward));
    }

    [Fact]
    public void Compare_ModeNone_ReportsNothing()
    {
        Assert.Empty(SchemaCompatibilityChecker.Compare("t", V1, Doc(C(A)), V2, Doc(C("'a':{'type':'integer'}")), CompatibilityMode.None));
    }

    [Fact]
    public void Rules_AreStableKebabCaseIds()
    {
        Assert.Equal(SchemaCompatibilityRules.All.Count, SchemaCompatibilityRules.All.Distinct(StringComparer.Ordinal).Count());
        Assert.All(SchemaCompatibilityRules.All, rule => Assert.Matches("^[a-z]+(-[a-z]+)*$", rule));
    }

    private static string PathOf(string finding) => finding[..finding.IndexOf(' ', StringComparison.Ordinal)];

    private static string[] Expected(string findings) =>
        findings.Length == 0 ? [] : findings.Split("; ");

    private static string C(string properties, params string[] required) => Closed(properties, required).GetRawText().Replace('"', '\'');

    private static string O(string properties, params string[] required) => Open(properties, required).GetRawText().Replace('"', '\'');

    private static string D(string defs, string properties) =>
        "{'type':'object','additionalProperties':false,'$defs':{" + defs + "},'properties':{" + properties + "}}";
}

using System.Text.Json;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Contracts;

/// <summary>
/// Params converters: a handler written for version 2 also runs jobs written in version 1, the 2019 way — the title
/// as top-level <c>page_namespace</c>/<c>page_title</c> — through an explicit converter applied before binding.
/// </summary>
public sealed class ParamsConverterTests
{
    private const string Type = "massMessage";

    private static readonly ParamsSchema V2 = ParamsSchema.Parse(Type, new ParamsSchemaVersion(2, 0, 0), """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["title", "recipient"],
          "properties": {
            "title": {
              "type": "object", "additionalProperties": false, "required": ["namespace", "dbkey"],
              "properties": { "namespace": { "type": "integer" }, "dbkey": { "type": "string", "minLength": 1 } }
            },
            "recipient": { "type": "string" }
          }
        }
        """, "massMessage/2.0.0.json");

    public sealed record Title(int Namespace, string Dbkey);

    public sealed record V2Params(Title Title, string Recipient);

    /// <summary>Version 1 → 2: the title moves from the event's top level into params, namespace and all.</summary>
    private static JsonElement V1ToV2(JobEvent e)
    {
        var ns = e.PageNamespace ?? throw new InvalidOperationException("a version 1 event has page_namespace");
        var prefixed = e.PageTitle ?? throw new InvalidOperationException("a version 1 event has page_title");
        // page_title is the prefixed dbkey (User_talk:Example); params carry the key without its namespace prefix.
        var dbkey = ns != 0 && prefixed.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? prefixed[(colon + 1)..] : prefixed;
        return JsonSerializer.SerializeToElement(new
        {
            title = new { @namespace = ns, dbkey },
            recipient = e.Params.GetProperty("recipient").GetString(),
        });
    }

    private static JobEvent Event(string? version, string parameters, int? pageNamespace = null, string? pageTitle = null) => new()
    {
        Meta = new JobMeta { Id = Guid.NewGuid().ToString(), Dt = DateTimeOffset.UnixEpoch, ParamsVersion = version },
        Database = "metawiki",
        Type = Type,
        Params = JsonElement.Parse(parameters),
        PageNamespace = pageNamespace,
        PageTitle = pageTitle,
    };

    private static (JobHandlerRegistry Registry, List<Job<V2Params>> Seen) Registry(ParamsSchemaRegistry? schemas = null)
    {
        var seen = new List<Job<V2Params>>();
        var registry = new JobHandlerRegistry(new CourierOptions { ParamsSchemas = schemas });
        registry.Add(Type, new DelegateHandler<V2Params>((job, _, _) =>
        {
            seen.Add(job);
            return ValueTask.FromResult(JobResult.Success);
        }));
        return (registry, seen);
    }

    private static ValueTask<JobResult> Run(JobHandlerRegistry registry, JobEvent jobEvent) => registry.InvokeAsync(new JobExecution
    {
        Event = jobEvent,
        RawEvent = ReadOnlyMemory<byte>.Empty,
        Context = new JobContext { Attempt = 1, Topic = "mediawiki.job." + Type, Source = new TopicPartitionOffset("t", 0, 0), Timeout = TimeSpan.FromSeconds(1) },
    }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Converter_LetsAVersion2HandlerReadTheVersion1Shape()
    {
        var (registry, seen) = Registry(ParamsSchemaRegistry.Create([V2]));
        registry.AddConverter(Type, "1.x", "2.0.0", V1ToV2);
        var v1 = Event("1.0.0", """{"recipient": "Example"}""", pageNamespace: 3, pageTitle: "User_talk:Example");
        var v2 = Event("2.0.0", """{"title": {"namespace": 3, "dbkey": "Other"}, "recipient": "Other"}""");

        Assert.True((await Run(registry, v1)).IsSuccess);
        Assert.True((await Run(registry, v2)).IsSuccess);

        Assert.Equal([new Title(3, "Example"), new Title(3, "Other")], seen.Select(j => j.Params.Title));
        // The handler still sees the event as it was written.
        Assert.Same(v1, seen[0].Event);
        Assert.Equal("1.0.0", seen[0].Event.Meta.ParamsVersion);
    }

    [Fact]
    public async Task WithoutAConverter_TheVersion1ShapeDoesNotBind_AndIsADecodeFailure()
    {
        var (registry, seen) = Registry();
        var v1 = Event("1.0.0", """{"recipient": "Example"}""", pageNamespace: 3, pageTitle: "User_talk:Example");

        var result = await Run(registry, v1);

        Assert.Equal(FailureClass.Decode, result.Failure);
        Assert.Equal("binding", result.DecodeReason);
        Assert.Contains("V2Params", result.Message, StringComparison.Ordinal);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task Converters_Chain_FromUnversionedToTheNewest()
    {
        var (registry, seen) = Registry();
        registry.AddConverter(Type, "unversioned", "1.0.0", e => JsonSerializer.SerializeToElement(new { recipient = e.Params.GetProperty("to").GetString() }));
        registry.AddConverter(Type, "1.x", "2.0.0", e => JsonSerializer.SerializeToElement(new
        {
            title = new { @namespace = 3, dbkey = e.Params.GetProperty("recipient").GetString() },
            recipient = e.Params.GetProperty("recipient").GetString(),
        }));

        Assert.True((await Run(registry, Event(null, """{"to": "Legacy"}"""))).IsSuccess);

        Assert.Equal(new V2Params(new Title(3, "Legacy"), "Legacy"), Assert.Single(seen).Params);
    }

    [Fact]
    public async Task TheMostSpecificPattern_Wins()
    {
        var (registry, seen) = Registry();
        JsonElement Make(string who) => JsonSerializer.SerializeToElement(new { title = new { @namespace = 2, dbkey = who }, recipient = who });
        registry.AddConverter(Type, "1.x", "2.0.0", _ => Make("major"));
        registry.AddConverter(Type, "1.4.0", "2.0.0", _ => Make("exact"));
        registry.AddConverter(Type, "1.4.x", "2.0.0", _ => Make("minor"));

        foreach (var version in new[] { "1.4.0", "1.4.2", "1.0.0" })
        {
            Assert.True((await Run(registry, Event(version, "{}"))).IsSuccess);
        }

        Assert.Equal(["exact", "minor", "major"], seen.Select(j => j.Params.Recipient));
    }

    [Fact]
    public async Task AThrowingConverter_IsADecodeFailure_NamingTheConverter()
    {
        var (registry, seen) = Registry();
        registry.AddConverter(Type, "1.x", "2.0.0", V1ToV2);

        // A version 1 event without its page_title: the converter cannot build the title.
        var result = await Run(registry, Event("1.2.0", """{"recipient": "Example"}""", pageNamespace: 3));

        Assert.Equal(FailureClass.Decode, result.Failure);
        Assert.Equal("converter", result.DecodeReason);
        Assert.Equal("params converter massMessage 1.x→2.0.0 failed on version 1.2.0: InvalidOperationException: a version 1 event has page_title", result.Message);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task AConverterWhoseOutputBreaksTheTargetSchema_IsADecodeFailure()
    {
        var (registry, seen) = Registry(ParamsSchemaRegistry.Create([V2]));
        // The 2019 mistake inside a converter: the title without its namespace.
        registry.AddConverter(Type, "1.x", "2.0.0", e => JsonSerializer.SerializeToElement(new { title = new { dbkey = e.PageTitle }, recipient = "x" }));

        var result = await Run(registry, Event("1.0.0", "{}", 3, "User_talk:Example"));

        Assert.Equal(FailureClass.Decode, result.Failure);
        Assert.Equal("converter", result.DecodeReason);
        Assert.Equal("params converter massMessage 1.x→2.0.0 made params that do not match params schema 2.0.0: "
            + "params.title.namespace: required: missing (the schema requires it)", result.Message);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task AConverterReturningSomethingElseThanAnObject_IsADecodeFailure()
    {
        var (registry, _) = Registry();
        registry.AddConverter(Type, "1.x", "2.0.0", _ => JsonElement.Parse("[]"));

        var result = await Run(registry, Event("1.0.0", "{}"));

        Assert.Equal("params converter massMessage 1.x→2.0.0 returned array, not a JSON object", result.Message);
    }

    [Theory]
    [InlineData("1", "2.0.0", "fromVersions")]
    [InlineData("x", "2.0.0", "fromVersions")]
    [InlineData("1.x.x", "2.0.0", "fromVersions")]
    [InlineData("1.x", "2.x", "toVersion")]
    [InlineData("1.x", "1.5.0", "toVersion")]
    [InlineData("unversioned", "latest", "toVersion")]
    public void AddConverter_RefusesBadVersions(string from, string to, string param)
    {
        var (registry, _) = Registry();
        var e = Assert.Throws<ArgumentException>(() => registry.AddConverter(Type, from, to, V1ToV2));
        Assert.Equal(param, e.ParamName);
    }

    [Fact]
    public void AddConverter_RefusesASecondConverterFromTheSameVersions()
    {
        var (registry, _) = Registry();
        registry.AddConverter(Type, "1.x", "2.0.0", V1ToV2);
        Assert.Throws<ArgumentException>(() => registry.AddConverter(Type, "1.x", "3.0.0", V1ToV2));
    }

    [Fact]
    public void CourierBuilder_AddParamsConverter_RefusesABadPatternAtTheCall()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var builder = services.AddCourier();
        Assert.Throws<ArgumentException>(() => builder.AddParamsConverter(Type, "one", "2.0.0", V1ToV2));
    }
}

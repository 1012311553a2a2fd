using System.Text;
using System.Text.Json;
using Xunit;

namespace Courier.Tests.Jobs;

public sealed class JobEventCodecTests
{
    private const string Minimal =
        """{"meta":{"id":"0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b","dt":"2019-04-17T10:00:00Z"},"database":"enwiki","type":"refreshLinks","params":{"a":{"b":1}}}""";

    // A refreshLinks job as EventBus produced it in April 2019 (schema mediawiki/job version 3;
    // docs/original-system.md): meta.topic instead of meta.stream, meta.schema_uri, the title at top level, and
    // delay_until in UNIX seconds (TS_UNIX, which PHP hands over as a string).
    private const string EventBus2019 = """
        {
          "meta": {
            "uri": "https://en.wikipedia.org/wiki/Main_Page",
            "topic": "mediawiki.job.refreshLinks",
            "schema_uri": "mediawiki/job/3",
            "request_id": "XLb8mApAADsAAFX-vPIAAAAB",
            "id": "5f4b6a3e-60f4-11e9-a923-1681be663d3e",
            "dt": "2019-04-17T10:01:02+00:00",
            "domain": "en.wikipedia.org"
          },
          "database": "enwiki",
          "type": "refreshLinks",
          "page_namespace": 0,
          "page_title": "Main_Page",
          "delay_until": "1555495322",
          "sha1": "9d1c3f0fb2d8a3ad3c4a0e2b5e7f3c8a1b2c3d4e",
          "root_event": { "signature": "5b7f0a4e9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "dt": "2019-04-17T10:00:00Z" },
          "params": {
            "prioritize": false,
            "rootJobSignature": "5b7f0a4e9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f",
            "rootJobTimestamp": "20190417100000",
            "causeAction": "edit-page",
            "causeAgent": "Example",
            "requestId": "XLb8mApAADsAAFX-vPIAAAAB"
          },
          "mediawiki_signature": "3b1f4e5d6c7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c"
        }
        """;

    private readonly JobEventCodec _codec = new(new CourierOptions());

    [Fact]
    public void Decode_Accepts2019EventBusEvent_WithLegacyFields()
    {
        var result = _codec.Decode(Encoding.UTF8.GetBytes(EventBus2019));

        Assert.Null(result.Error);
        var e = result.Event!;
        Assert.Equal("5f4b6a3e-60f4-11e9-a923-1681be663d3e", e.Meta.Id);
        Assert.Equal(new DateTimeOffset(2019, 4, 17, 10, 1, 2, TimeSpan.Zero), e.Meta.Dt);
        Assert.Equal("mediawiki.job.refreshLinks", e.Meta.Topic);
        Assert.Null(e.Meta.Stream);
        Assert.Equal("en.wikipedia.org", e.Meta.Domain);
        Assert.Equal("XLb8mApAADsAAFX-vPIAAAAB", e.Meta.RequestId);
        Assert.Equal("https://en.wikipedia.org/wiki/Main_Page", e.Meta.Uri);
        Assert.Equal("enwiki", e.Database);
        Assert.Equal("refreshLinks", e.Type);
        Assert.Equal(0, e.PageNamespace);
        Assert.Equal("Main_Page", e.PageTitle);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1555495322), e.DelayUntil);
        Assert.Equal("9d1c3f0fb2d8a3ad3c4a0e2b5e7f3c8a1b2c3d4e", e.Sha1);
        Assert.Equal(new RootEvent("5b7f0a4e9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", new DateTimeOffset(2019, 4, 17, 10, 0, 0, TimeSpan.Zero)), e.RootEvent);
        Assert.Equal("edit-page", e.Params.GetProperty("causeAction").GetString());
        Assert.StartsWith("3b1f4e5d", e.MediawikiSignature, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1555495322", 1555495322_0000000L)]
    [InlineData("1555495322.5", 1555495322_5000000L)]
    [InlineData("\"1555495322\"", 1555495322_0000000L)]
    [InlineData("\"2019-04-17T10:02:02Z\"", 1555495322_0000000L)]
    [InlineData("\"2019-04-17T12:02:02+02:00\"", 1555495322_0000000L)]
    [InlineData("\"2019-04-17T10:02:02\"", 1555495322_0000000L)]
    public void Decode_ReadsDelayUntil_AsIsoOrUnixSeconds(string value, long unixTicks)
    {
        var result = Decode(Minimal.Replace("\"params\"", $"\"delay_until\":{value},\"params\"", StringComparison.Ordinal));

        Assert.Null(result.Error);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(unixTicks), result.Event!.DelayUntil);
    }

    [Fact]
    public void Decode_TakesEmptyParamsArray_AsEmptyObject()
    {
        // PHP's json_encode writes an empty params map as [].
        var result = Decode(Minimal.Replace("{\"a\":{\"b\":1}}", "[]", StringComparison.Ordinal));

        Assert.Null(result.Error);
        Assert.Equal(JsonValueKind.Object, result.Event!.Params.ValueKind);
        Assert.Empty(result.Event.Params.EnumerateObject());
    }

    [Fact]
    public void Decode_IgnoresUnknownFields()
    {
        var json = Minimal
            .Replace("\"database\"", "\"future\":{\"x\":[1,{\"y\":null}]},\"database\"", StringComparison.Ordinal)
            .Replace("\"dt\"", "\"schema_uri\":\"mediawiki/job/3\",\"dt\"", StringComparison.Ordinal);

        var result = Decode(json);

        Assert.Null(result.Error);
        Assert.Equal("enwiki", result.Event!.Database);
    }

    [Fact]
    public void Decode_ParamsOutliveTheInputBuffer()
    {
        var buffer = Encoding.UTF8.GetBytes(Minimal);
        var result = _codec.Decode(buffer);
        Array.Clear(buffer);

        Assert.Equal(1, result.Event!.Params.GetProperty("a").GetProperty("b").GetInt32());
    }

    [Theory]
    [InlineData("meta", "$.meta: required field is missing")]
    [InlineData("database", "$.database: required field is missing")]
    [InlineData("type", "$.type: required field is missing")]
    [InlineData("params", "$.params: required field is missing")]
    public void Decode_NamesMissingRequiredField(string field, string expected)
    {
        using var document = JsonDocument.Parse(Minimal);
        var json = JsonSerializer.Serialize(document.RootElement.EnumerateObject()
            .Where(p => p.Name != field)
            .ToDictionary(p => p.Name, p => p.Value));

        Assert.Equal(expected, Decode(json).Error);
    }

    [Theory]
    [InlineData("{\"id\":\"x\"}", "$.meta.dt: required field is missing")]
    [InlineData("{\"dt\":\"2019-04-17T10:00:00Z\"}", "$.meta.id: required field is missing")]
    public void Decode_NamesMissingMetaField(string meta, string expected)
    {
        var json = "{\"meta\":" + meta + ",\"database\":\"enwiki\",\"type\":\"t\",\"params\":{}}";

        Assert.Equal(expected, Decode(json).Error);
    }

    [Theory]
    [InlineData("\"params\":{\"a\":{\"b\":1}}", "\"params\":[1,2]", "$.params: must be an object, got array")]
    [InlineData("\"params\":{\"a\":{\"b\":1}}", "\"params\":null", "$.params: must be an object, got null")]
    [InlineData("\"database\":\"enwiki\"", "\"database\":42", "$.database: must be a string, got number")]
    [InlineData("\"database\":\"enwiki\"", "\"database\":\"\"", "$.database: must not be empty")]
    [InlineData("\"type\":\"refreshLinks\"", "\"type\":\"refresh Links\"", "$.type: must not contain whitespace or control characters, got 'refresh Links'")]
    [InlineData("\"type\":\"refreshLinks\"", "\"type\":\"refresh\\nLinks\"", "$.type: must not contain whitespace or control characters, got 'refresh\nLinks'")]
    [InlineData("\"type\":\"refreshLinks\"", "\"type\":true", "$.type: must be a string, got boolean")]
    [InlineData("\"id\":\"0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b\"", "\"id\":\"\"", "$.meta.id: must not be empty")]
    [InlineData("\"id\":\"0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b\"", "\"id\":7", "$.meta.id: must be a string, got number")]
    [InlineData("\"dt\":\"2019-04-17T10:00:00Z\"", "\"dt\":\"yesterday\"", "$.meta.dt: must be an ISO-8601 date-time, got 'yesterday'")]
    [InlineData("\"dt\":\"2019-04-17T10:00:00Z\"", "\"dt\":1555495322", "$.meta.dt: must be an ISO-8601 date-time string, got number")]
    [InlineData("\"meta\":{", "\"meta\":\"x\",\"m\":{", "$.meta: must be an object, got string")]
    [InlineData("\"params\"", "\"page_namespace\":\"0\",\"params\"", "$.page_namespace: must be an integer, got string")]
    [InlineData("\"params\"", "\"page_namespace\":1.5,\"params\"", "$.page_namespace: must be an integer, got 1.5")]
    [InlineData("\"params\"", "\"page_title\":\"\",\"params\"", "$.page_title: must not be empty")]
    [InlineData("\"params\"", "\"delay_until\":\"soon\",\"params\"", "$.delay_until: must be an ISO-8601 date-time or UNIX seconds, got 'soon'")]
    [InlineData("\"params\"", "\"delay_until\":1e300,\"params\"", "$.delay_until: UNIX seconds out of range, got 1e300")]
    [InlineData("\"params\"", "\"delay_until\":[],\"params\"", "$.delay_until: must be an ISO-8601 date-time string or UNIX seconds, got array")]
    [InlineData("\"params\"", "\"sha1\":1,\"params\"", "$.sha1: must be a string, got number")]
    [InlineData("\"params\"", "\"root_event\":{\"dt\":\"2019-04-17T10:00:00Z\"},\"params\"", "$.root_event.signature: required field is missing")]
    [InlineData("\"params\"", "\"root_event\":{\"signature\":\"s\"},\"params\"", "$.root_event.dt: required field is missing")]
    [InlineData("\"params\"", "\"root_event\":[],\"params\"", "$.root_event: must be an object, got array")]
    [InlineData("\"dt\"", "\"producer\":{\"name\":\"courier\"},\"dt\"", "$.meta.producer.version: required field is missing")]
    [InlineData("\"dt\"", "\"stream\":[\"x\"],\"dt\"", "$.meta.stream: must be a string, got array")]
    public void Decode_NamesPathAndRule_WhenAFieldBreaksARule(string find, string replace, string expected)
    {
        var json = Minimal.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Minimal, json);

        Assert.Equal(expected, Decode(json).Error);
    }

    [Theory]
    [InlineData("\"database\":\"enwiki\"", "\"database\":\"enwiki\",\"database\":\"dewiki\"", "$.database: duplicate key")]
    [InlineData("\"dt\"", "\"id\":\"again\",\"dt\"", "$.meta.id: duplicate key")]
    [InlineData("{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1,\"b\":2}}", "$.params.a.b: duplicate key")]
    [InlineData("{\"a\":{\"b\":1}}", "{\"a\":[{\"b\":1},{\"b\":1,\"\\u0062\":2}]}", "$.params.a[1].b: duplicate key")]
    [InlineData("{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1},\"a b\":1,\"a b\":2}", "$.params['a b']: duplicate key")]
    [InlineData("\"database\"", "\"x\":1,\"x\":2,\"database\"", "$.x: duplicate key")]
    public void Decode_RefusesDuplicateKeys(string find, string replace, string expected)
    {
        var json = Minimal.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Minimal, json);

        Assert.Equal(expected, Decode(json).Error);
    }

    [Fact]
    public void Decode_FindsDuplicateKey_InLargeParamsObject()
    {
        var keys = string.Join(",", Enumerable.Range(0, 200).Select(i => $"\"k{i}\":{i}"));
        var json = Minimal.Replace("{\"a\":{\"b\":1}}", "{" + keys + ",\"k150\":0}", StringComparison.Ordinal);

        Assert.Equal("$.params.k150: duplicate key", Decode(json).Error);
    }

    [Fact]
    public void Decode_ReportsOversize_WithBothSizes()
    {
        var codec = new JobEventCodec(new CourierOptions { MaxEventBytes = 100 });
        var json = Encoding.UTF8.GetBytes(Minimal.Replace("\"b\":1", "\"b\":\"" + new string('x', 150) + "\"", StringComparison.Ordinal));

        Assert.Equal($"event is {json.Length} bytes; the limit is 100", codec.Decode(json).Error);
    }

    [Fact]
    public void Decode_ReportsOversize_BeforeLookingAtTheBytes()
    {
        var codec = new JobEventCodec(new CourierOptions { MaxEventBytes = 4 });

        Assert.Equal("event is 5 bytes; the limit is 4", codec.Decode(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }).Error);
    }

    [Fact]
    public void Decode_ReportsInvalidUtf8_WithItsOffset()
    {
        var json = Encoding.UTF8.GetBytes(Minimal);
        var offset = Minimal.IndexOf("enwiki", StringComparison.Ordinal) + 2;
        json[offset] = 0xC3;
        json[offset + 1] = 0x28;

        Assert.Equal($"not valid UTF-8 at byte {offset}", _codec.Decode(json).Error);
    }

    [Theory]
    [InlineData("{\"meta\":{\"id\":tru}}", 17, "'tru}}' is an invalid JSON literal. Expected the literal 'true'.")]
    [InlineData("{\n  \"meta\": {\n    \"id\": tru\n}}", 27, "'tru\n}}' is an invalid JSON literal. Expected the literal 'true'.")]
    [InlineData("{} {}", 3, "'{' is invalid after a single JSON value. Expected end of data.")]
    public void Decode_ReportsInvalidJson_WithAbsoluteByteOffset(string json, int offset, string reason)
    {
        Assert.Equal($"not valid JSON at byte {offset}: {reason}", Decode(json).Error);
    }

    [Fact]
    public void Decode_SaysTheRecordIsEmpty_ForZeroBytes() =>
        Assert.Equal("the record is empty (0 bytes); a job event is a JSON object", Decode("").Error);

    [Fact]
    public void Decode_ReportsInvalidJson_EvenAfterAFieldError()
    {
        // params is wrong, but the record is not JSON at all: that is the more useful thing to say.
        var json = Minimal.Replace("{\"a\":{\"b\":1}}", "[1,2]", StringComparison.Ordinal)[..^1] + ",}";

        Assert.StartsWith("not valid JSON at byte ", Decode(json).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "$: must be an object, got array")]
    [InlineData("\"event\"", "$: must be an object, got string")]
    [InlineData("null", "$: must be an object, got null")]
    public void Decode_RefusesNonObjectRoot(string json, string expected) => Assert.Equal(expected, Decode(json).Error);

    [Fact]
    public void Decode_ReportsEscapedLoneSurrogate_InAField()
    {
        var json = Minimal.Replace("\"enwiki\"", "\"en\\ud800wiki\"", StringComparison.Ordinal);

        Assert.StartsWith("$.database: not a valid string", Decode(json).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_WritesSnakeCaseNames_AndOmitsNulls()
    {
        var jobEvent = new JobEvent
        {
            Schema = JobEventCodec.SchemaUri,
            Meta = new JobMeta
            {
                Id = "0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b",
                Dt = new DateTimeOffset(2019, 4, 17, 12, 0, 0, TimeSpan.FromHours(2)),
                Stream = "mediawiki.job.refreshLinks",
                RequestId = "r1",
                Producer = new ProducerInfo("courier", "1.2.3"),
                ParamsVersion = "2",
            },
            Database = "enwiki",
            Type = "refreshLinks",
            Params = JsonElement.Parse("""{"title":"Łódź"}"""),
            PageNamespace = 0,
            DelayUntil = DateTimeOffset.FromUnixTimeSeconds(1555495322),
            RootEvent = new RootEvent("sig", DateTimeOffset.FromUnixTimeSeconds(1555495200)),
        };

        var json = Encoding.UTF8.GetString(_codec.Encode(jobEvent));

        Assert.Equal(
            """{"$schema":"/mediawiki/job/1.0.0","meta":{"id":"0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b","dt":"2019-04-17T10:00:00+00:00","stream":"mediawiki.job.refreshLinks","request_id":"r1","producer":{"name":"courier","version":"1.2.3"},"params_version":"2"},"database":"enwiki","type":"refreshLinks","params":{"title":"Łódź"},"page_namespace":0,"delay_until":"2019-04-17T10:02:02+00:00","root_event":{"signature":"sig","dt":"2019-04-17T10:00:00+00:00"}}""",
            json);
    }

    [Fact]
    public void Encode_Throws_WhenParamsIsNotAnObject()
    {
        var e = Assert.Throws<JobEncodingException>(() => _codec.Encode(WithParams(JsonElement.Parse("[1]"))));
        Assert.Equal("params: must be a JSON object, got array", e.Message);
        e = Assert.Throws<JobEncodingException>(() => _codec.Encode(WithParams(default)));
        Assert.Equal("params: must be a JSON object, got nothing", e.Message);
    }

    [Fact]
    public void Encode_Throws_WhenParamsHasADuplicateKey()
    {
        using var document = JsonDocument.Parse("""{"a":{"x":1,"x":2}}""");

        var e = Assert.Throws<JobEncodingException>(() => _codec.Encode(WithParams(document.RootElement)));

        Assert.Equal("params.a.x: duplicate key", e.Message);
    }

    [Fact]
    public void Encode_DropsComments_OfParamsParsedWithCommentsAllowed()
    {
        using var document = JsonDocument.Parse("""{"a": /* note */ 1}""", new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });

        var decoded = _codec.Decode(_codec.Encode(WithParams(document.RootElement)));

        Assert.Null(decoded.Error);
        Assert.Equal("""{"a":1}""", decoded.Event!.Params.GetRawText());
    }

    [Theory]
    [InlineData("", "refreshLinks", "meta.id: required value is missing")]
    [InlineData("id", "", "type: must not be empty")]
    [InlineData("id", "a\tb", "type: must not contain whitespace or control characters, got 'a\tb'")]
    public void Encode_NamesMissingOrInvalidRequiredValue(string id, string type, string expected)
    {
        var jobEvent = new JobEvent
        {
            Meta = new JobMeta { Id = id, Dt = DateTimeOffset.UnixEpoch },
            Database = "enwiki",
            Type = type,
            Params = JsonElement.Parse("{}"),
        };

        Assert.Equal(expected, Assert.Throws<JobEncodingException>(() => _codec.Encode(jobEvent)).Message);
    }

    [Fact]
    public void Encode_Throws_WhenEventIsTooLarge_NamingBothSizes()
    {
        var codec = new JobEventCodec(new CourierOptions { MaxEventBytes = 200 });
        var jobEvent = WithParams(JsonElement.Parse($$"""{"text":"{{new string('x', 300)}}"}"""));

        var e = Assert.Throws<JobEncodingException>(() => codec.Encode(jobEvent));

        Assert.Matches(@"^event is \d+ bytes; the limit is 200$", e.Message);
    }

    [Fact]
    public void Encode_ThenDecode_KeepsEveryField()
    {
        var original = Sample();

        var decoded = _codec.Decode(_codec.Encode(original));

        Assert.Null(decoded.Error);
        JobEventAssert.Equal(original, decoded.Event!);
    }

    private JobDecodeResult Decode(string json) => _codec.Decode(Encoding.UTF8.GetBytes(json));

    private static JobEvent WithParams(JsonElement parameters) => new()
    {
        Meta = new JobMeta { Id = "id", Dt = DateTimeOffset.UnixEpoch },
        Database = "enwiki",
        Type = "t",
        Params = parameters,
    };

    private static JobEvent Sample() => new()
    {
        Schema = JobEventCodec.SchemaUri,
        Meta = new JobMeta
        {
            Id = "0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b",
            Dt = new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.Zero).AddTicks(1234567),
            Stream = "mediawiki.job.htmlCacheUpdate",
            Topic = "legacy",
            Domain = "de.wikipedia.org",
            RequestId = "req",
            Uri = "https://de.wikipedia.org/wiki/K%C3%B6ln",
            Producer = new ProducerInfo("courier", "0.1.0"),
            ParamsVersion = "3",
        },
        Database = "dewiki",
        Type = "htmlCacheUpdate",
        Params = JsonElement.Parse("""{"pages":{"1":[0,"Köln"]},"n":-1.5e-3,"emoji":"😀","nul":null,"t":true}"""),
        PageNamespace = -1,
        PageTitle = "Special:Badtitle",
        DelayUntil = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
        Sha1 = "0123456789abcdef0123456789abcdef01234567",
        RootEvent = new RootEvent("sig", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)),
        MediawikiSignature = "mwsig",
    };
}

using System.Text.Json;
using Xunit;

namespace Courier.Tests.Jobs;

/// <summary>The event's optional fields, kept in a holder made only when one of them has a value.</summary>
public sealed class JobEventTests
{
    private static readonly DateTimeOffset Dt = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static JobEvent Plain() => new()
    {
        Meta = new JobMeta { Id = "a", Dt = Dt },
        Database = "enwiki",
        Type = "noop",
        Params = JsonElement.Parse("{}"),
    };

    private static JobEvent Full(string parameters = """{"x":1}""", string? paramsVersion = null) => new()
    {
        Meta = new JobMeta { Id = "b", Dt = Dt, ParamsVersion = paramsVersion },
        Database = "enwiki",
        Type = "noop",
        Params = JsonElement.Parse(parameters),
        PageNamespace = 0,
        PageTitle = "Main_Page",
        DelayUntil = Dt.AddMinutes(5),
        Sha1 = "0123456789abcdef0123456789abcdef01234567",
        RootEvent = new RootEvent("root", Dt),
        MediawikiSignature = "sig",
    };

    [Fact]
    public void OptionalFields_AreNull_WhenNoneIsGiven()
    {
        var plain = Plain();

        Assert.Null(plain.PageNamespace);
        Assert.Null(plain.PageTitle);
        Assert.Null(plain.DelayUntil);
        Assert.Null(plain.Sha1);
        Assert.Null(plain.RootEvent);
        Assert.Null(plain.MediawikiSignature);
    }

    [Fact]
    public void EachOptionalField_KeepsItsOwnValue()
    {
        var full = Full();

        Assert.Equal(0, full.PageNamespace); // zero is a value, not an absent field
        Assert.Equal("Main_Page", full.PageTitle);
        Assert.Equal(Dt.AddMinutes(5), full.DelayUntil);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", full.Sha1);
        Assert.Equal(new RootEvent("root", Dt), full.RootEvent);
        Assert.Equal("sig", full.MediawikiSignature);
    }

    [Fact]
    public void OneOptionalField_LeavesTheOthersNull()
    {
        var delayed = new JobEvent
        {
            Meta = new JobMeta { Id = "c", Dt = Dt },
            Database = "enwiki",
            Type = "noop",
            Params = JsonElement.Parse("{}"),
            DelayUntil = Dt,
        };

        Assert.Equal(Dt, delayed.DelayUntil);
        Assert.Null(delayed.Sha1);
        Assert.Null(delayed.PageNamespace);
        Assert.Null(delayed.RootEvent);
    }

    [Fact]
    public void WithParams_KeepsEveryOtherField()
    {
        var full = Full();

        var converted = full.WithParams(JsonElement.Parse("""{"y":2}"""), "2");

        JobEventAssert.Equal(Full("""{"y":2}""", paramsVersion: "2"), converted);
        Assert.Null(Plain().WithParams(JsonElement.Parse("{}"), "2").Sha1);
    }
}

using System.Text.Json;
using Xunit;

namespace Courier.Tests.Jobs;

/// <summary>Field-by-field equality of job events (params compared as JSON values).</summary>
internal static class JobEventAssert
{
    /// <summary>
    /// Asserts equal fields; <paramref name="rawParams"/> compares params as their exact JSON text instead (for params
    /// that may hold strings no reader can unescape, such as a lone <c>\udfe9</c>, which DeepEquals refuses to compare).
    /// </summary>
    public static void Equal(JobEvent expected, JobEvent actual, bool rawParams = false)
    {
        Assert.Equal(expected.Schema, actual.Schema);
        Assert.Equal(expected.Meta.Id, actual.Meta.Id);
        Assert.Equal(expected.Meta.Dt, actual.Meta.Dt);
        Assert.Equal(expected.Meta.Stream, actual.Meta.Stream);
        Assert.Equal(expected.Meta.Topic, actual.Meta.Topic);
        Assert.Equal(expected.Meta.Domain, actual.Meta.Domain);
        Assert.Equal(expected.Meta.RequestId, actual.Meta.RequestId);
        Assert.Equal(expected.Meta.Uri, actual.Meta.Uri);
        Assert.Equal(expected.Meta.Producer, actual.Meta.Producer);
        Assert.Equal(expected.Meta.ParamsVersion, actual.Meta.ParamsVersion);
        Assert.Equal(expected.Database, actual.Database);
        Assert.Equal(expected.Type, actual.Type);
        if (rawParams)
        {
            Assert.Equal(expected.Params.GetRawText(), actual.Params.GetRawText());
        }
        else
        {
            Assert.True(JsonElement.DeepEquals(expected.Params, actual.Params),
                $"params differ: expected {expected.Params.GetRawText()}, got {actual.Params.GetRawText()}");
        }
        Assert.Equal(expected.PageNamespace, actual.PageNamespace);
        Assert.Equal(expected.PageTitle, actual.PageTitle);
        Assert.Equal(expected.DelayUntil, actual.DelayUntil);
        Assert.Equal(expected.Sha1, actual.Sha1);
        Assert.Equal(expected.RootEvent, actual.RootEvent);
        Assert.Equal(expected.MediawikiSignature, actual.MediawikiSignature);
    }
}

using Courier.Server.Intake;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>An error text longer than an answer carries is cut to a valid string: JSON cannot carry half a surrogate pair.</summary>
public sealed class IntakeAnswerTests
{
    [Fact]
    public void ALongError_IsCutWithAnEllipsis()
    {
        var cut = IntakeAnswer.Cut(new string('a', 5000));

        Assert.Equal(IntakeAnswer.MaxErrorChars, cut.Length);
        Assert.EndsWith("a…", cut, StringComparison.Ordinal);
        Assert.Equal("short", IntakeAnswer.Cut("short"));
    }

    [Fact]
    public void ALongError_IsNeverCutInsideASurrogatePair()
    {
        var error = new string('a', IntakeAnswer.MaxErrorChars - 2) + "😀" + new string('b', 100);

        var cut = IntakeAnswer.Cut(error);

        Assert.Equal(new string('a', IntakeAnswer.MaxErrorChars - 2) + "…", cut);
    }
}

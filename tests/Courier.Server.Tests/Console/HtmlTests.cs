using Courier.Server.Console;
using Xunit;

namespace Courier.Server.Tests.Console;

/// <summary>The console's HTML builder encodes every hole but markup built the same way.</summary>
public sealed class HtmlTests
{
    [Fact]
    public void Holes_AreEncoded_LiteralsAndNestedHtmlAreNot()
    {
        var reason = "<script>alert('x')</script> & \"quoted\"";
        var cell = Html.Of($"<td title=\"{reason}\">{reason}</td>");
        var row = Html.Of($"<tr>{cell}<td>{12345.5:0.0}</td><td>{(string?)null}</td></tr>");

        Assert.Equal("<td title=\"&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;\">"
            + "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;</td>", cell.ToString());
        Assert.Equal($"<tr>{cell}<td>12345.5</td><td></td></tr>", row.ToString());
    }
}

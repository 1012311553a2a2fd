namespace Courier.Files;

/// <summary>Unix permissions as <c>ls</c> and <c>chmod</c> write them.</summary>
public static class UnixModes
{
    /// <summary>The mode in octal, e.g. <c>0644</c>.</summary>
    public static string Octal(UnixFileMode mode) =>
        "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}

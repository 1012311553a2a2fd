namespace Courier;

/// <summary>Which reader a compatibility violation breaks.</summary>
public enum CompatibilityDirection
{
    /// <summary>Readers on the newer version cannot read some jobs written with the older one.</summary>
    Backward,

    /// <summary>Readers still on the older version cannot read some jobs written with the newer one.</summary>
    Forward,
}

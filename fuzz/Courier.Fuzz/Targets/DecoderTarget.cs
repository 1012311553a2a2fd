namespace Courier.Fuzz.Targets;

/// <summary>The event decoder: any bytes a job topic may hold, through the gate every edge uses (codec, then params contract).</summary>
public static class DecoderTarget
{
    /// <summary>Decodes and checks <paramref name="input"/>; throws only on a bug.</summary>
    public static void Run(ReadOnlySpan<byte> input) => FuzzGate.InspectChecked(input);
}

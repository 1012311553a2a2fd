namespace Courier.Server.Internal;

/// <summary>The <c>intake</c> section: the limits of one <c>POST /v1/events</c>.</summary>
internal sealed partial class ConfigBinder
{
    private IntakeConfig Intake(ConfigNode node, string path)
    {
        int? maxBodyBytes = null, maxEvents = null;
        foreach (var (key, value) in Map(node, path).Entries)
        {
            var child = ConfigTreeReader.Child(path, key);
            switch (key)
            {
                case "max_body_bytes": maxBodyBytes = Int(value, child, min: 1); break;
                case "max_events": maxEvents = Int(value, child, min: 1); break;
                default: throw Unknown(path, key, value);
            }
        }
        return new IntakeConfig { MaxBodyBytes = maxBodyBytes, MaxEvents = maxEvents };
    }
}

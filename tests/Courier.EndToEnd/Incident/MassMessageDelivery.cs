namespace Courier.EndToEnd.Incident;

/// <summary>One message delivered to a talk page: the page (namespace and dbkey) and what was posted there.</summary>
public sealed record MassMessageDelivery(string JobId, int Namespace, string DbKey, string Recipient, string Message);

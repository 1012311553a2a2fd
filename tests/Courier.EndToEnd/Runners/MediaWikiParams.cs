namespace Courier.EndToEnd.Runners;

/// <summary>Params of the MediaWiki stand-in's jobs: how <c>RunSingleJob.php</c> answers this job (<see cref="MediaWikiStandIn"/>).</summary>
/// <param name="Index">The job's number in its test.</param>
/// <param name="Answer">One of the stand-in's answers: <c>ok</c>, <c>retry-once</c>, <c>readonly-once</c>, <c>invalid</c>, <c>always-500</c>.</param>
public sealed record MediaWikiParams(int Index, string Answer);

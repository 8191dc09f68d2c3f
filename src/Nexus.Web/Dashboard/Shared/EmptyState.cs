namespace Nexus.Web.Dashboard.Shared;

/// <summary>An area with nothing to show yet: what will appear, and why it is empty.</summary>
public sealed record EmptyState(string Icon, string Heading, string Body);

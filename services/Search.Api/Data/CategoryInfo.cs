namespace Search.Api.Data;

/// <summary>A category as search needs it: to resolve a filter slug and to name facets.</summary>
public sealed record CategoryInfo(int Id, string Slug, string Name);

namespace Search.Api.Model;

/// <summary>Completions for what the user has typed so far, most popular first.</summary>
public sealed record AutocompleteResponse(string Query, IReadOnlyList<Suggestion> Suggestions);

/// <summary><paramref name="Kind"/> is <c>query</c> (a popular search) or <c>product</c> (a product name).</summary>
public sealed record Suggestion(string Text, string Kind, double Score);

/// <summary>The most frequent searches of a window, or those that found nothing (for operators).</summary>
public sealed record PopularSearches(string Window, IReadOnlyList<PopularQuery> Queries);

public sealed record PopularQuery(string Query, long Count);

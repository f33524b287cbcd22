using System.Net;
using Hive.Mobile.Models;

namespace Hive.Mobile.Http;

/// <summary>
/// The server refused a request and said why in a ProblemDetails: status, title, detail and, for bad
/// input, the invalid fields with their messages.
/// </summary>
public sealed class HiveApiException : Exception
{
    public HiveApiException(HttpStatusCode status, ProblemDetails problem)
        : base(Describe(status, problem))
    {
        Status = status;
        Problem = problem;
    }

    public HttpStatusCode Status { get; }

    public ProblemDetails Problem { get; }

    public string? Title => Problem.Title;

    public string? Detail => Problem.Detail;

    public IReadOnlyDictionary<string, string[]> FieldErrors => Problem.Errors ?? new Dictionary<string, string[]>();

    /// <summary>A refusal that sending again will not change (bad input, conflict, not found, out of stock).</summary>
    public bool IsDefinite => (int)Status is >= 400 and < 500 and not 401 and not 408 and not 429;

    private static string Describe(HttpStatusCode status, ProblemDetails problem)
        => $"{(int)status} {problem.Title ?? status.ToString()}: {problem.Detail ?? "no detail"}";
}

/// <summary>No connection, and nothing cached that could answer instead.</summary>
public sealed class HiveOfflineException(string message, Exception? inner = null) : Exception(message, inner);

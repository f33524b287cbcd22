using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hive.ServiceDefaults;

/// <summary>
/// The fleet's one answer to bad input: every offending field with its messages, written as an RFC 9457
/// validation problem (<c>errors: { field: [message] }</c>, status 400, the pipeline adds <c>traceId</c>).
/// Handlers collect into one instance and answer <see cref="ToProblem"/> when it is not empty.
/// </summary>
public sealed class ValidationErrors : IReadOnlyDictionary<string, string[]>
{
    /// <summary>The title of every validation problem (the one ASP.NET Core gives <c>ValidationProblem</c>).</summary>
    public const string Title = "One or more validation errors occurred.";

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public int Count => _errors.Count;

    public IEnumerable<string> Keys => _errors.Keys;

    public IEnumerable<string[]> Values => _errors.Values;

    /// <summary>A field's messages; setting them replaces what the field had (a later, more precise check wins).</summary>
    public string[] this[string key]
    {
        get => _errors[key];
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length == 0)
            {
                throw new ArgumentException("A field error needs at least one message.", nameof(value));
            }

            _errors[key] = value;
        }
    }

    /// <summary>Adds <paramref name="message"/> to <paramref name="field"/>'s messages (a field may have several).</summary>
    public ValidationErrors Add(string field, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(message);
        _errors[field] = _errors.TryGetValue(field, out var messages) ? [.. messages, message] : [message];
        return this;
    }

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/> in a query value bound as text,
    /// so that "ten" or "1e9" is a message naming <paramref name="field"/>, not a binder failure. Null when
    /// absent (the caller's default applies) or invalid (with the error added).
    /// </summary>
    public int? WholeNumber(string? raw, string field, int min, int max)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Add(field, string.Create(CultureInfo.InvariantCulture, $"{field} must be a whole number from {min} to {max}."));
        return null;
    }

    /// <summary>The 400 answer for these errors; its detail repeats them, for clients that show only the detail.</summary>
    public ValidationProblem ToProblem()
    {
        if (_errors.Count == 0)
        {
            throw new InvalidOperationException("A validation problem needs at least one field error.");
        }

        return TypedResults.ValidationProblem(_errors, detail: Describe(), title: Title);
    }

    /// <summary>The same answer as a problem object, for exception handlers that write through <c>IProblemDetailsService</c>.</summary>
    public HttpValidationProblemDetails ToProblemDetails() => new(_errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = Title,
        Detail = Describe(),
    };

    /// <summary>The answer when one field is wrong.</summary>
    public static ValidationProblem Problem(string field, string message) => new ValidationErrors().Add(field, message).ToProblem();

    /// <summary>"field: message field2: message": what a client that reads only <c>detail</c> shows.</summary>
    public string Describe() => string.Join(" ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    public bool ContainsKey(string key) => _errors.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string[] value) => _errors.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Hive.ServiceDefaults;

/// <summary>
/// Names the field behind a minimal API binding failure. The framework says what failed only in the
/// <see cref="BadHttpRequestException"/>'s message ("Failed to bind parameter \"Nullable&lt;int&gt; limit\" from
/// \"abc\".") and, for bodies, in the inner <see cref="JsonException"/>'s path; the answer names the
/// query or route parameter, or the JSON property, and never a .NET type or the rejected value.
/// </summary>
internal static partial class BindingFailures
{
    /// <summary>The field the request got wrong when it is fixable input (a 400), else null (413, 415: not a field's fault).</summary>
    public static ValidationErrors? Describe(BadHttpRequestException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.StatusCode != StatusCodes.Status400BadRequest)
        {
            return null;
        }

        var errors = new ValidationErrors();
        if (failure.InnerException is JsonException json)
        {
            return Json(errors, json);
        }

        var message = failure.Message;
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || message.EndsWith("from body.", StringComparison.Ordinal))
        {
            return errors.Add(Body, "A JSON body is required.");
        }

        if (message.Contains("from the request body", StringComparison.Ordinal))
        {
            return errors.Add(Body, "The body could not be read.");
        }

        if (BindFailed().Match(message) is { Success: true } bind)
        {
            var name = QueryName(bind.Groups["name"].Value);
            return errors.Add(name, $"{name} must be {KindOf(bind.Groups["type"].Value)}.");
        }

        if (Required().Match(message) is { Success: true } required)
        {
            var name = QueryName(required.Groups["name"].Value);
            return errors.Add(name, $"{name} is required.");
        }

        // A failure this class does not know: still a 400 naming something, the request as a whole.
        return errors.Add("request", ParameterWithType().Replace(message, "parameter \"$1\""));
    }

    /// <summary>The name under which errors about the body as a whole (not one property) are listed.</summary>
    public const string Body = "body";

    private static ValidationErrors Json(ValidationErrors errors, JsonException json)
    {
        // The reader's own exception inside means the text is not JSON at all; without it the JSON was
        // read but a value did not fit its property (a string for a number, an array for an object).
        if (json.InnerException is JsonException)
        {
            return errors.Add(Body, string.Create(CultureInfo.InvariantCulture,
                $"The body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})."));
        }

        var field = FieldOf(json.Path);
        return field is null
            ? errors.Add(Body, "The body is not a JSON object of the expected shape.")
            : errors.Add(field, $"The value of {field} is not of the expected kind.");
    }

    /// <summary>
    /// The name a client sent: an [AsParameters] record's property (Category) is the camelCase query name
    /// (category), as every query name in the fleet is; a handler's own parameter is already that.
    /// </summary>
    private static string QueryName(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>"$.lines[0].quantity" → "lines[0].quantity"; the root ("$") is the body itself, so null.</summary>
    private static string? FieldOf(string? path)
        => path is null || path.Length <= 2 || !path.StartsWith("$.", StringComparison.Ordinal) ? null : path[2..];

    private static string KindOf(string type)
    {
        var bare = type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?');
        return bare switch
        {
            "int" or "long" or "short" or "byte" or "uint" or "ulong" or "ushort" or "sbyte" => "a whole number",
            "decimal" or "double" or "float" => "a number",
            "bool" => "true or false",
            "Guid" => "a GUID",
            "DateTime" or "DateTimeOffset" or "DateOnly" => "a date",
            _ => "a valid value",
        };
    }

    [GeneratedRegex(@"^Failed to bind parameter ""(?<type>.+)\s(?<name>\w+)"" from ", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailed();

    [GeneratedRegex(@"^Required parameter ""(?<type>.+)\s(?<name>\w+)"" was not provided", RegexOptions.CultureInvariant)]
    private static partial Regex Required();

    // "parameter \"int? limit\"" → "parameter \"limit\"": the name helps a client, the .NET type does not.
    [GeneratedRegex(@"parameter ""(?:[^""\s]+\s+)+(\w+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterWithType();
}

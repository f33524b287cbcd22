using System.Globalization;
using System.Text;

namespace Hive.Mobile.Api;

/// <summary>Builds a path with a query string in a stable order, so equal requests share one cache entry.</summary>
internal sealed class Query(string path)
{
    private readonly SortedDictionary<string, string> _parameters = new(StringComparer.Ordinal);

    public Query Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _parameters[name] = value;
        }

        return this;
    }

    public Query Add(string name, long? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public Query Add(string name, decimal? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public override string ToString()
    {
        if (_parameters.Count == 0)
        {
            return path;
        }

        var text = new StringBuilder(path).Append('?');
        foreach (var (name, value) in _parameters)
        {
            text.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        return text.ToString(0, text.Length - 1);
    }
}

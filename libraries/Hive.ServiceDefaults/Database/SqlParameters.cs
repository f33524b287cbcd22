using Npgsql;

namespace Hive.ServiceDefaults;

/// <summary>
/// The parameters of a statement whose text is composed from parts (filters that are there or not, a keyset
/// that depends on the sort). Every statement in the fleet talks to Npgsql the same way: positional
/// placeholders (<c>$1</c>, <c>$2</c>, …) bound to typed <see cref="NpgsqlParameter{T}"/> values, and rows
/// read by ordinal. <see cref="Add{T}"/> binds a value and returns its placeholder, so the text and its
/// values cannot drift apart, and a value is never part of the SQL text.
/// </summary>
/// <remarks>
/// Positional placeholders skip Npgsql's rewriting of named ones, and typed parameters skip boxing and type
/// inference. One set may serve several statements (search's facets and hits): each command gets its own
/// copies, and a statement need not use every value bound (each is sent with its type).
/// </remarks>
public sealed class SqlParameters
{
    private readonly List<NpgsqlParameter> _values = [];

    /// <summary>How many values are bound.</summary>
    public int Count => _values.Count;

    /// <summary>Binds <paramref name="value"/> and returns its placeholder (<c>$n</c>) for the statement's text.</summary>
    public string Add<T>(T value)
    {
        _values.Add(new NpgsqlParameter<T> { TypedValue = value });
        return "$" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Binds <paramref name="value"/> as the next placeholder of a fixed statement (<c>$1</c>, then <c>$2</c>, …).</summary>
    public SqlParameters With<T>(T value)
    {
        Add(value);
        return this;
    }

    /// <summary>A command for <paramref name="sql"/> on <paramref name="connection"/> with these values.</summary>
    public NpgsqlCommand CreateCommand(string sql, NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in _values)
        {
            command.Parameters.Add(value.Clone());
        }

        return command;
    }
}

using Hive.ServiceDefaults;
using Hive.Testing;
using Npgsql;

namespace Hive.ServiceDefaults.Tests;

/// <summary>The one way the fleet binds values to composed statements, run against a real Postgres.</summary>
public sealed class SqlParametersTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public void EachValueGetsTheNextPositionalPlaceholder()
    {
        var parameters = new SqlParameters();

        Assert.Equal("$1", parameters.Add(42L));
        Assert.Equal("$2", parameters.Add("text"));
        Assert.Equal("$3", parameters.Add(new[] { 1L, 2L }));
        Assert.Equal(3, parameters.Count);
    }

    [Fact]
    public async Task ValuesReachTheServerTypedAndNeverAsPartOfTheText()
    {
        await using var connection = await OpenAsync();
        var parameters = new SqlParameters();
        var hostile = "x'); DROP TABLE t; --";
        var sql = $"SELECT {parameters.Add(hostile)} || '', pg_typeof({parameters.Add(7)})::text, {parameters.Add(new[] { 3L, 4L })}[2]";

        await using var command = parameters.CreateCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(hostile, reader.GetString(0));
        Assert.Equal("integer", reader.GetString(1));
        Assert.Equal(4L, reader.GetInt64(2));
    }

    [Fact]
    public async Task ANullValueIsSentAsATypedNull()
    {
        await using var connection = await OpenAsync();
        var parameters = new SqlParameters().With<long?>(null).With<string?>(null);

        await using var command = parameters.CreateCommand("SELECT $1 IS NULL, pg_typeof($1)::text, $2 IS NULL, pg_typeof($2)::text", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.True(reader.GetBoolean(0));
        Assert.Equal("bigint", reader.GetString(1));
        Assert.True(reader.GetBoolean(2));
        Assert.Equal("text", reader.GetString(3));
    }

    // Search sends its facets and its hits with one set of values; each statement uses only some of them.
    [Fact]
    public async Task OneSetServesSeveralCommandsEachUsingSomeOfTheValues()
    {
        await using var connection = await OpenAsync();
        var parameters = new SqlParameters().With(10).With(20).With("unused by the first");

        await using var first = parameters.CreateCommand("SELECT $1 + $2", connection);
        await using var second = parameters.CreateCommand("SELECT $3 || $1::text", connection);

        Assert.Equal(30, (int)(await first.ExecuteScalarAsync())!);
        Assert.Equal("unused by the first10", (string)(await second.ExecuteScalarAsync())!);
        Assert.Equal(3, first.Parameters.Count);
        Assert.NotSame(first.Parameters[0], second.Parameters[0]);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync("sqlparameters"));
        await connection.OpenAsync();
        return connection;
    }
}

using System.Text.Json;
using Npgsql;

namespace Hive.Database.Tests;

/// <summary>The nodes of an EXPLAIN (FORMAT JSON) plan, flattened, plus the text form for failure messages.</summary>
internal sealed record QueryPlan(IReadOnlyList<QueryPlan.Node> Nodes, string Text)
{
    public static async Task<QueryPlan> ExplainAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var json = await ExplainAsync(connection, "EXPLAIN (FORMAT JSON) " + sql, parameters);
        var text = await ExplainAsync(connection, "EXPLAIN " + sql, parameters);
        using var document = JsonDocument.Parse(json);
        var nodes = new List<Node>();
        Walk(document.RootElement[0].GetProperty("Plan"), nodes);
        return new QueryPlan(nodes, text);
    }

    public bool Uses(string indexName, string? nodeType = null)
        => Nodes.Any(n => n.IndexName == indexName && (nodeType is null || n.NodeType == nodeType));

    public void AssertUses(string indexName, string? nodeType = null)
        => Assert.True(Uses(indexName, nodeType), $"Expected {nodeType ?? "a scan"} on {indexName}; the plan was:\n{Text}");

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string sql, object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static void Walk(JsonElement plan, List<Node> nodes)
    {
        nodes.Add(new Node(
            plan.GetProperty("Node Type").GetString()!,
            plan.TryGetProperty("Index Name", out var index) ? index.GetString() : null));
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, nodes);
            }
        }
    }

    internal sealed record Node(string NodeType, string? IndexName);
}

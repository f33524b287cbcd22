using Microsoft.Data.Sqlite;

namespace Hive.Mobile.Storage;

/// <summary>
/// The SDK's SQLite file: cached answers, the order queue, the image index. WAL mode so reads never wait
/// for the queue's writes; every write is its own committed transaction, so killing the app at any moment
/// leaves a consistent file.
/// </summary>
internal sealed class LocalDatabase
{
    private const string Schema =
        """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS responses (
            key TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            kind INTEGER NOT NULL,
            etag TEXT NULL,
            body BLOB NOT NULL,
            size INTEGER NOT NULL,
            validated_at INTEGER NOT NULL,
            used_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS responses_used ON responses (used_at);
        CREATE INDEX IF NOT EXISTS responses_scope ON responses (scope);
        CREATE TABLE IF NOT EXISTS order_queue (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            result TEXT NULL,
            queued_at INTEGER NOT NULL,
            finished_at INTEGER NULL);
        CREATE TABLE IF NOT EXISTS images (
            key TEXT PRIMARY KEY,
            file TEXT NOT NULL,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            used_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS images_used ON images (used_at);
        """;

    private readonly string _connectionString;

    public LocalDatabase(string directory)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, "hive.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Releases pooled connections so the file can be moved or deleted (tests, sign-out wipes).</summary>
    public void Release() => SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
}

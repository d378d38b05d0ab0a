namespace Shop.Testing;

/// <summary>Reads and writes a service's database directly, to check what an API call or message wrote.</summary>
public static class Sql
{
    /// <summary>The first column of the first row as a number; no row or NULL fails (use <see cref="ScalarOrNullAsync"/> where either is an answer).</summary>
    public static Task<long> ScalarAsync(this NpgsqlDataSource db, string sql, params object[] parameters) =>
        ScalarAsync(db, sql, CancellationToken.None, parameters);

    /// <inheritdoc cref="ScalarAsync(NpgsqlDataSource, string, object[])"/>
    public static async Task<long> ScalarAsync(this NpgsqlDataSource db, string sql, CancellationToken cancellationToken, params object[] parameters) =>
        await ScalarOrNullAsync(db, sql, cancellationToken, parameters)
        ?? throw new InvalidOperationException($"The query returned no row or NULL where a number was expected: {sql}");

    /// <summary>The first column of the first row as a number, or null when there is no row or the value is NULL.</summary>
    public static Task<long?> ScalarOrNullAsync(this NpgsqlDataSource db, string sql, params object[] parameters) =>
        ScalarOrNullAsync(db, sql, CancellationToken.None, parameters);

    private static async Task<long?> ScalarOrNullAsync(NpgsqlDataSource db, string sql, CancellationToken cancellationToken, object[] parameters)
    {
        await using var command = Command(db, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<int> ExecuteAsync(this NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var command = Command(db, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static Task<List<T>> QueryAsync<T>(this NpgsqlDataSource db, string sql, Func<NpgsqlDataReader, T> read, params object[] parameters) =>
        QueryAsync(db, sql, read, CancellationToken.None, parameters);

    public static async Task<List<T>> QueryAsync<T>(this NpgsqlDataSource db, string sql, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(db, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlDataSource db, string sql, object[] parameters)
    {
        var command = db.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return command;
    }
}

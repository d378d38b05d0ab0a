using Npgsql;

namespace Shop.FaultTests.Infrastructure;

/// <summary>Reads a service's database directly, to check what the APIs and consumers wrote.</summary>
public static class Sql
{
    public static async Task<long> ScalarAsync(this NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> QueryAsync<T>(this NpgsqlDataSource db, string sql, Func<NpgsqlDataReader, T> read, params object[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}

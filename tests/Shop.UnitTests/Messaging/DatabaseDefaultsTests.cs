using Shop.Persistence;

namespace Shop.UnitTests.Messaging;

public sealed class DatabaseDefaultsTests
{
    [Fact]
    public void Connection_string_without_them_gets_the_hot_path_defaults()
    {
        var connection = new NpgsqlConnectionStringBuilder(
            PersistenceExtensions.WithHotPathDefaults("Host=127.0.0.1;Database=orders;Username=shop;Password=shop"));

        Assert.Equal(64, connection.MaxAutoPrepare);
        Assert.True(connection.NoResetOnClose);
        Assert.Equal(PersistenceExtensions.DefaultMaxPoolSize, connection.MaxPoolSize);
        Assert.Equal(("127.0.0.1", "orders", "shop", "shop"), (connection.Host, connection.Database, connection.Username, connection.Password));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0;No Reset On Close=false;Maximum Pool Size=100")]
    [InlineData("maxautoprepare=0;noresetonclose=false;maxpoolsize=100")]
    public void Settings_the_connection_string_names_are_kept(string settings)
    {
        var connection = new NpgsqlConnectionStringBuilder(PersistenceExtensions.WithHotPathDefaults($"Host=127.0.0.1;Database=orders;{settings}"));

        Assert.Equal(0, connection.MaxAutoPrepare);
        Assert.False(connection.NoResetOnClose);
        Assert.Equal(100, connection.MaxPoolSize);
    }
}

using Shop.Runtime;

namespace Shop.UnitTests.Runtime;

/// <summary>The services' socket setting (build/SocketCompletions.cs, compiled into each service; this is the Orders copy).</summary>
[Collection(nameof(SocketCompletionsTests))]
[CollectionDefinition(nameof(SocketCompletionsTests), DisableParallelization = true)]
public sealed class SocketCompletionsTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(SocketCompletions.Variable);

    [Fact]
    public void With_nothing_in_the_environment_completions_are_set_to_run_inline()
    {
        Environment.SetEnvironmentVariable(SocketCompletions.Variable, null);

        Assert.Equal("1", SocketCompletions.RunInline());
        Assert.Equal("1", Environment.GetEnvironmentVariable(SocketCompletions.Variable));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void A_value_the_environment_sets_is_kept(string chosen)
    {
        Environment.SetEnvironmentVariable(SocketCompletions.Variable, chosen);

        Assert.Equal(chosen, SocketCompletions.RunInline());
        Assert.Equal(chosen, Environment.GetEnvironmentVariable(SocketCompletions.Variable));
    }

    public void Dispose() => Environment.SetEnvironmentVariable(SocketCompletions.Variable, _before);
}

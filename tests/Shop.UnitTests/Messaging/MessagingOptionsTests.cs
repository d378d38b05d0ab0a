using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Messaging.RabbitMq;

namespace Shop.UnitTests.Messaging;

public sealed class MessagingOptionsTests
{
    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("00:00:00.020", true)]
    [InlineData("00:00:01", false)]
    [InlineData("-00:00:00.001", false)]
    public void Mark_delay_is_accepted_only_from_zero_to_below_the_relay_grace(string markDelay, bool valid)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:MarkDelay"] = markDelay,
            ["Messaging:RelayGrace"] = "00:00:01",
        });
        builder.AddRabbitMq("rabbitmq", "test", ShopTopology.Topology);
        using var services = builder.Services.BuildServiceProvider();

        var read = () => services.GetRequiredService<IOptions<MessagingOptions>>().Value;

        if (valid)
        {
            Assert.Equal(TimeSpan.Parse(markDelay), read().MarkDelay);
        }
        else
        {
            Assert.Contains("Messaging:MarkDelay", Assert.Throws<OptionsValidationException>(read).Message);
        }
    }

    [Theory]
    [InlineData("00:00:15", true)]
    [InlineData("00:00:00.001", true)]
    [InlineData("01:00:00", true)]
    [InlineData("00:00:00", false)]
    [InlineData("-00:00:01", false)]
    [InlineData("01:00:00.001", false)]
    public void The_publish_confirm_timeout_is_accepted_only_above_zero_and_up_to_an_hour(string timeout, bool valid)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:PublishConfirmTimeout"] = timeout });
        builder.AddRabbitMq("rabbitmq", "test", ShopTopology.Topology);
        using var services = builder.Services.BuildServiceProvider();

        var read = () => services.GetRequiredService<IOptions<MessagingOptions>>().Value;

        if (valid)
        {
            Assert.Equal(TimeSpan.Parse(timeout, CultureInfo.InvariantCulture), read().PublishConfirmTimeout);
        }
        else
        {
            Assert.Contains("Messaging:PublishConfirmTimeout", Assert.Throws<OptionsValidationException>(read).Message);
        }
    }
}

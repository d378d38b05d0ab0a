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
        var read = Reader(("Messaging:MarkDelay", markDelay), ("Messaging:RelayGrace", "00:00:01"));

        if (valid)
        {
            Assert.Equal(TimeSpan.Parse(markDelay, CultureInfo.InvariantCulture), read().MarkDelay);
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
        var read = Reader(("Messaging:PublishConfirmTimeout", timeout));

        if (valid)
        {
            Assert.Equal(TimeSpan.Parse(timeout, CultureInfo.InvariantCulture), read().PublishConfirmTimeout);
        }
        else
        {
            Assert.Contains("Messaging:PublishConfirmTimeout", Assert.Throws<OptionsValidationException>(read).Message);
        }
    }

    /// <summary>Reads the options as the transport registers them, over <paramref name="settings"/>; validation runs on the read.</summary>
    private static Func<MessagingOptions> Reader(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddRabbitMq("rabbitmq", "test", ShopTopology.Topology);
        var services = builder.Services.BuildServiceProvider();
        return () => services.GetRequiredService<IOptions<MessagingOptions>>().Value;
    }
}

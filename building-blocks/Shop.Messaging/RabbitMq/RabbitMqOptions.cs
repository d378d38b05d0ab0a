using System.ComponentModel.DataAnnotations;

namespace Shop.Messaging.RabbitMq;

public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    /// <summary>An AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>, read from <c>ConnectionStrings:{name}</c>.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Contracts;

/// <summary>The wire format of every event: camelCase JSON, source-generated so no reflection runs per message.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(OrderCreated))]
[JsonSerializable(typeof(PaymentCompleted))]
[JsonSerializable(typeof(PaymentFailed))]
[JsonSerializable(typeof(OrderStatusChanged))]
public sealed partial class ContractsJson : JsonSerializerContext;

using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shop.Api;
using Shop.Api.Admission;
using Shop.Contracts;
using Shop.Messaging.Outbox;
using Shop.Orders.Data;
using Shop.Orders.Domain;
using Shop.Persistence;

namespace Shop.Orders.Features;

public sealed class CreateOrderFunction(CreateOrderHandler handler, AdmissionControl admission)
{
    [Function("CreateOrder")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var write = await AmountWrite.BeginAsync(admission, request, cancellationToken);
        if (!write.Admitted)
        {
            return write.Refusal;
        }
        var input = write.Input;
        var result = await handler.HandleAsync(new CreateOrder(input.UserId, input.Amount, input.IdempotencyKey), cancellationToken);
        return result.Order is null
            ? ApiProblems.Conflict($"The {ApiHeaders.IdempotencyKey} '{input.IdempotencyKey}' was used for a different order.")
            : TypedResults.Created($"/orders/{result.Order.Id}", result.Order);
    }
}

public sealed record CreateOrder(long UserId, long Amount, string? IdempotencyKey);

/// <param name="Order">The order, new or the one the idempotency key created before; null if that one differs.</param>
public sealed record CreateOrderResult(OrderResponse? Order, bool Replayed);

public sealed partial class CreateOrderHandler(OrdersDbContext db, IOutbox outbox, TimeProvider clock, ILogger<CreateOrderHandler> logger)
{
    public async Task<CreateOrderResult> HandleAsync(CreateOrder command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var order = new Order
        {
            Id = Guid.CreateVersion7(),
            UserId = command.UserId,
            Amount = command.Amount,
            Status = OrderStatus.Pending,
            IdempotencyKey = command.IdempotencyKey,
            CreatedAt = now,
            UpdatedAt = now,
        };
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["OrderId"] = order.Id, ["UserId"] = order.UserId });
        Activity.Current?.SetTag("shop.order.id", order.Id.ToString());
        db.Orders.Add(order);
        outbox.Enqueue(new OrderCreated(order.Id, order.UserId, order.Amount));
        try
        {
            // One SaveChanges, one transaction: the order and its OrderCreated row commit together. Both inserts go to
            // PostgreSQL in one batch, which it runs as one implicit transaction, so EF's BEGIN and COMMIT would only add a
            // round trip (AtomicOutboxTests fail the second insert and find neither row).
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (IdempotencyKeys.IsRepeat(exception, OrderConfiguration.IdempotencyIndex))
        {
            db.ChangeTracker.Clear();
            var first = await db.Orders.AsNoTracking()
                .SingleAsync(o => o.UserId == command.UserId && o.IdempotencyKey == command.IdempotencyKey, cancellationToken);
            LogReplayed(first.Id, command.UserId);
            return first.Amount == command.Amount
                ? new CreateOrderResult(OrderResponse.From(first), Replayed: true)
                : new CreateOrderResult(null, Replayed: true);
        }
        LogCreated(order.Id, order.UserId, order.Amount);
        return new CreateOrderResult(OrderResponse.From(order), Replayed: false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId} created for user {UserId}, amount {Amount}")]
    private partial void LogCreated(Guid orderId, long userId, long amount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} of user {UserId} returned again for a repeated Idempotency-Key")]
    private partial void LogReplayed(Guid orderId, long userId);
}

namespace Shop.UnitTests.Messaging;

/// <summary>
/// What the relay and the commit-time dispatch share when the publishing channel cannot be opened: every row of the
/// batch fails with that error and none is published, unless the host is stopping, which ends the batch instead.
/// </summary>
public sealed class OutboxBatchTests
{
    private readonly Mock<IMessagePublisher> _publisher = new();
    private readonly OutboxMessage[] _batch = [OutboxDispatchTests.Row(), OutboxDispatchTests.Row()];

    [Fact]
    public async Task A_batch_whose_channel_cannot_be_opened_fails_every_row_with_that_error_and_publishes_none()
    {
        var refused = new IOException("connection refused");
        _publisher.Setup(p => p.ConnectAsync(It.IsAny<CancellationToken>())).Returns(ValueTask.FromException(refused));

        var outcomes = await OutboxBatch.PublishAllAsync(_publisher.Object, _batch, CancellationToken.None);

        Assert.Equal([refused, refused], outcomes);
        _publisher.Verify(p => p.PublishAsync(It.IsAny<OutgoingMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_stop_while_the_channel_opens_ends_the_batch_instead_of_failing_its_rows()
    {
        using var stopping = new CancellationTokenSource();
        _publisher.Setup(p => p.ConnectAsync(It.IsAny<CancellationToken>())).Returns((CancellationToken token) =>
        {
            stopping.Cancel();
            return ValueTask.FromCanceled(token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OutboxBatch.PublishAllAsync(_publisher.Object, _batch, stopping.Token));
        _publisher.Verify(p => p.PublishAsync(It.IsAny<OutgoingMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

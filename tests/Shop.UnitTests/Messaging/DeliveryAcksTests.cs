namespace Shop.UnitTests.Messaging;

public sealed class DeliveryAcksTests
{
    private readonly List<(ulong Tag, bool Multiple)> _frames = [];
    private readonly DeliveryAcks _acks;

    public DeliveryAcksTests() => _acks = new DeliveryAcks((tag, multiple) =>
    {
        _frames.Add((tag, multiple));
        return ValueTask.CompletedTask;
    });

    private void Receive(params ulong[] tags)
    {
        foreach (var tag in tags)
        {
            _acks.Received(tag);
        }
    }

    [Fact]
    public async Task A_batch_with_nothing_before_it_in_progress_is_acked_with_one_multiple_ack()
    {
        Receive(1, 2, 3, 4);

        await _acks.AckAsync([1, 2, 3]);

        Assert.Equal([(3UL, true)], _frames);
    }

    [Fact]
    public async Task The_last_deliveries_in_progress_finishing_together_are_acked_with_one_multiple_ack()
    {
        Receive(1, 2, 3);

        await _acks.AckAsync([1, 2, 3]);

        // Nothing is left in progress: one frame acks all three, not one frame each.
        Assert.Equal([(3UL, true)], _frames);
    }

    [Fact]
    public async Task A_single_delivery_is_acked_alone()
    {
        Receive(1, 2);

        await _acks.AckAsync([1]);

        Assert.Equal([(1UL, false)], _frames);
    }

    [Fact]
    public async Task A_batch_that_finishes_before_an_earlier_one_is_acked_tag_by_tag()
    {
        Receive(1, 2, 3, 4, 5);

        await _acks.AckAsync([3, 4]);

        // A multiple-ack of 4 would ack 1 and 2 as well, which are still being handled.
        Assert.Equal([(3UL, false), (4UL, false)], _frames);
    }

    [Fact]
    public async Task The_earlier_batch_finishing_later_acks_only_its_own_tags()
    {
        Receive(1, 2, 3, 4, 5);
        await _acks.AckAsync([3, 4]);
        _frames.Clear();

        await _acks.AckAsync([1, 2]);

        // 1 and 2 are all that is outstanding below 5: one frame for both, and never again 3 or 4.
        Assert.Equal([(2UL, true)], _frames);
    }

    [Fact]
    public async Task Tags_below_the_oldest_in_progress_go_together_and_the_rest_one_by_one()
    {
        Receive(1, 2, 3, 4, 5, 6);
        await _acks.AckAsync([2]);
        _frames.Clear();

        await _acks.AckAsync([1, 3, 5, 6]);

        // 4 is still in progress: 1 and 3 lie below it (2 was acked already), 5 and 6 above it.
        Assert.Equal([(3UL, true), (5UL, false), (6UL, false)], _frames);
    }

    [Fact]
    public async Task Every_tag_is_acked_exactly_once_whatever_the_order_batches_finish_in()
    {
        var random = new Random(7);
        var outstanding = new HashSet<ulong>();
        var acked = new List<ulong>();
        var acks = new DeliveryAcks((tag, multiple) =>
        {
            Assert.Contains(tag, outstanding);
            var covered = multiple ? outstanding.Where(t => t <= tag).ToList() : [tag];
            foreach (var t in covered)
            {
                outstanding.Remove(t);
                acked.Add(t);
            }
            return ValueTask.CompletedTask;
        });
        ulong next = 1;
        var inProgress = new List<ulong>();
        for (var round = 0; round < 200; round++)
        {
            for (var i = random.Next(0, 5); i > 0; i--)
            {
                outstanding.Add(next);
                inProgress.Add(next);
                acks.Received(next++);
            }
            var batch = inProgress.OrderBy(_ => random.Next()).Take(random.Next(0, 4)).ToList();
            inProgress.RemoveAll(batch.Contains);
            await acks.AckAsync(batch);
            // A multiple-ack never reaches a delivery that is still being handled.
            Assert.All(inProgress, tag => Assert.Contains(tag, outstanding));
        }
        await acks.AckAsync(inProgress);

        Assert.Empty(outstanding);
        Assert.Equal(acked.Count, acked.Distinct().Count());
        Assert.Equal((int)(next - 1), acked.Count);
    }
}

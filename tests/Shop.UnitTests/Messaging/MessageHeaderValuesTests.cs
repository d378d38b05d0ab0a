namespace Shop.UnitTests.Messaging;

public sealed class MessageHeaderValuesTests
{
    [Fact]
    public void Header_delivered_as_bytes_reads_as_utf8_text() =>
        Assert.Equal("zahlungsunfähig", MessageHeaderValues.Read(Headers("zahlungsunfähig"u8.ToArray()), "x-death-reason"));

    [Fact]
    public void Header_published_as_text_reads_as_it_is() =>
        Assert.Equal("00-abc-def-01", MessageHeaderValues.Read(Headers("00-abc-def-01"), "x-death-reason"));

    [Fact]
    public void Other_values_read_as_their_text() =>
        Assert.Equal("42", MessageHeaderValues.Read(Headers(42L), "x-death-reason"));

    [Fact]
    public void Absent_header_null_value_and_missing_headers_read_as_null()
    {
        Assert.Null(MessageHeaderValues.Read(Headers(null), "x-death-reason"));
        Assert.Null(MessageHeaderValues.Read(Headers(Encoding.UTF8.GetBytes("x")), "traceparent"));
        Assert.Null(MessageHeaderValues.Read(null, "traceparent"));
    }

    private static Dictionary<string, object?> Headers(object? value) => new() { ["x-death-reason"] = value };
}

using System.Net.Sockets;

namespace Shop.FaultTests.Hardening;

/// <summary>Sends bytes HttpClient refuses to send (CR/LF in a header value, literal dot segments) over a plain socket.</summary>
public static class RawHttp
{
    public static async Task<(int Status, string ContentType, string Body)> SendAsync(Uri server, string head, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var request = Encoding.Latin1.GetBytes(head.Replace("{length}", (body?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await stream.WriteAsync(request);
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // Connection: close in every request, so the response ends with the stream.
        var response = await reader.ReadToEndAsync(timeout.Token);
        var statusLine = response.Split("\r\n", 2)[0];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = response[..Math.Max(headerEnd, 0)];
        var contentType = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Trim() ?? "";
        return (status, contentType, headerEnd < 0 ? "" : response[(headerEnd + 4)..]);
    }
}

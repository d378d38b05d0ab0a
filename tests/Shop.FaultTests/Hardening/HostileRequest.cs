namespace Shop.FaultTests.Hardening;

/// <summary>One row of the hardening table: a hostile request and the 4xx statuses it may be answered with.</summary>
/// <param name="Raw">Sent over a raw socket as is (for what HttpClient will not send); else built from the other fields.</param>
/// <param name="RejectedByKestrel">Malformed HTTP that Kestrel refuses before any application code runs: a bare 400, no problem body.</param>
/// <param name="ExpectContinue">Sent with <c>Expect: 100-continue</c>, as a careful client sends a body the server may refuse unread:
/// the gateway answers 413 without reading it and closes the connection, and a client still writing the body then may
/// see the close as a broken pipe before it reads the answer.</param>
public sealed record HostileRequest(string Name, string Method, string Path, string? UserId, byte[]? Body, string? ContentType,
    int[] Expected, string? Raw = null, string? IdempotencyKey = null, bool RejectedByKestrel = false, bool ExpectContinue = false)
{
    public override string ToString() => Name;

    public static IEnumerable<HostileRequest> Table()
    {
        var order = "/orders/orders";
        var topUp = "/payments/account/topup";
        var someOrder = $"/orders/orders/{Guid.NewGuid()}";
        int[] notAllowed = [404, 405];

        // Wrong methods on every route.
        foreach (var (method, path) in new[]
        {
            ("DELETE", order), ("PUT", order), ("PATCH", order), ("DELETE", someOrder), ("PUT", someOrder), ("POST", someOrder),
            ("GET", topUp), ("DELETE", "/payments/account"), ("PUT", "/payments/account/balance"), ("POST", "/payments/account/balance"),
        })
        {
            yield return new($"{method} {path} (wrong method)", method, path, "1", null, null, notAllowed);
        }

        // Bodies: too big, too deep, not UTF-8, numbers beyond long, wrong shapes.
        foreach (var path in new[] { order, topUp })
        {
            yield return Json($"{path}: 1 MiB body", path, "{\"amount\":1,\"pad\":\"" + new string('x', 1 << 20) + "\"}", 413) with { ExpectContinue = true };
            yield return Json($"{path}: 20 KiB body", path, "{\"amount\":1,\"pad\":\"" + new string('x', 20 * 1024) + "\"}", 413);
            yield return Json($"{path}: 1000 nested arrays", path, "{\"amount\":" + new string('[', 1000) + new string(']', 1000) + "}", 400);
            yield return Json($"{path}: 64 nested objects", path, string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 64), 400);
            yield return new($"{path}: invalid UTF-8 bytes", "POST", path, "1",
                [.. Encoding.ASCII.GetBytes("{\"amount\":5,\"note\":\""), 0xFF, 0xFE, 0xC3, 0x28, .. Encoding.ASCII.GetBytes("\"}")], "application/json", [400]);
            yield return Json($"{path}: amount 2^63", path, "{\"amount\":9223372036854775808}", 422);
            yield return Json($"{path}: amount -2^63-1", path, "{\"amount\":-9223372036854775809}", 422);
            yield return Json($"{path}: amount 1e400", path, "{\"amount\":1e400}", 422);
            yield return Json($"{path}: amount 99999999999999999999999999999", path, "{\"amount\":99999999999999999999999999999}", 422);
            yield return Json($"{path}: amount 1.5", path, "{\"amount\":1.5}", 422);
            yield return Json($"{path}: amount as string", path, "{\"amount\":\"5\"}", 422);
            yield return Json($"{path}: amount 0", path, "{\"amount\":0}", 422);
            yield return Json($"{path}: amount -5", path, "{\"amount\":-5}", 422);
            yield return Json($"{path}: no amount", path, "{}", 422);
            yield return Json($"{path}: JSON array", path, "[1,2,3]", 400);
            yield return Json($"{path}: truncated JSON", path, "{\"amount\":", 400);
            yield return Json($"{path}: NaN", path, "{\"amount\":NaN}", 400);
            yield return Json($"{path}: empty body", path, "", 400);
            yield return new($"{path}: text/plain", "POST", path, "1", Encoding.UTF8.GetBytes("{\"amount\":5}"), "text/plain", [415]);
            yield return new($"{path}: UTF-16 charset", "POST", path, "1", Encoding.Unicode.GetBytes("{\"amount\":5}"), "application/json; charset=utf-16", [415]);
            yield return new($"{path}: 200-character Idempotency-Key", "POST", path, "1", Encoding.UTF8.GetBytes("{\"amount\":5}"), "application/json", [400],
                IdempotencyKey: new string('k', 200));
        }

        // Identity: missing, not a positive integer, beyond long, injected.
        foreach (var (name, value) in new[] { ("missing", null), ("zero", "0"), ("negative", "-1"), ("text", "abc"), ("beyond long", "99999999999999999999"), ("two values", "1, 2"), ("hex", "0x10") })
        {
            yield return new($"X-User-ID {name}", "POST", order, value, Encoding.UTF8.GetBytes("{\"amount\":5}"), "application/json", [400]);
        }
        var body = "{\"amount\":5}";
        yield return RawRequest("X-User-ID with CRLF smuggling a second X-User-ID", $"POST {order} HTTP/1.1\r\nHost: shop\r\nX-User-ID: abc\r\nX-User-ID: 2\r\nContent-Type: application/json\r\nContent-Length: {{length}}\r\nConnection: close\r\n\r\n", body, [400]);
        yield return RawRequest("X-User-ID with a bare CR", $"POST {order} HTTP/1.1\r\nHost: shop\r\nX-User-ID: 1\rX-Evil: 1\r\nContent-Type: application/json\r\nContent-Length: {{length}}\r\nConnection: close\r\n\r\n", body, [400], rejectedByKestrel: true);
        yield return RawRequest("X-User-ID with a NUL byte", $"POST {order} HTTP/1.1\r\nHost: shop\r\nX-User-ID: 1\0\r\nContent-Type: application/json\r\nContent-Length: {{length}}\r\nConnection: close\r\n\r\n", body, [400], rejectedByKestrel: true);
        yield return RawRequest("X-User-ID folded onto a second line", $"POST {order} HTTP/1.1\r\nHost: shop\r\nX-User-ID: 1\r\n X-Evil: 1\r\nContent-Type: application/json\r\nContent-Length: {{length}}\r\nConnection: close\r\n\r\n", body, [400], rejectedByKestrel: true);

        // Path traversal and odd ids.
        foreach (var path in new[]
        {
            "/orders/orders/..%2F..%2Fpayments%2Faccount%2Fbalance", "/orders/orders/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/orders/orders/not-a-guid",
            "/orders/orders/00000000-0000-0000-0000-000000000000", "/orders/..%2F..%2Fhealth", "/payments/account/%2e%2e/balance%2F..%2F..",
        })
        {
            yield return new($"GET {path}", "GET", path, "1", null, null, [400, 404]);
        }
        foreach (var path in new[] { $"/orders/orders/{Guid.NewGuid()}%00", "/orders/orders/%00" })
        {
            yield return new($"GET {path}", "GET", path, "1", null, null, [400], RejectedByKestrel: true);
        }
        yield return RawRequest("GET literal ../../etc/passwd", "GET /orders/orders/../../../etc/passwd HTTP/1.1\r\nHost: shop\r\nX-User-ID: 1\r\nConnection: close\r\n\r\n", null, [400, 404]);
        yield return RawRequest("GET literal ..\\..\\ backslashes", "GET /orders/orders/..\\..\\payments\\account HTTP/1.1\r\nHost: shop\r\nX-User-ID: 1\r\nConnection: close\r\n\r\n", null, [400, 404]);
    }

    private static HostileRequest Json(string name, string path, string json, params int[] expected) =>
        new(name, "POST", path, "1", Encoding.UTF8.GetBytes(json), "application/json", expected);

    private static HostileRequest RawRequest(string name, string head, string? body, int[] expected, bool rejectedByKestrel = false) =>
        new(name, "RAW", "", null, body is null ? null : Encoding.UTF8.GetBytes(body), null, expected, head, RejectedByKestrel: rejectedByKestrel);
}

using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Shop.Api;

/// <summary>Reads and validates what every API request carries: the user, the idempotency key and a small JSON body.</summary>
public static class ApiRequest
{
    public static bool TryGetUserId(HttpRequest request, out long userId, [NotNullWhen(false)] out IResult? problem)
    {
        userId = 0;
        problem = null;
        var values = request.Headers[ApiHeaders.UserId];
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            problem = ApiProblems.BadRequest($"The {ApiHeaders.UserId} header is required: a positive integer that identifies the user.");
            return false;
        }
        if (values.Count > 1
            || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out userId)
            || userId <= 0)
        {
            userId = 0;
            problem = ApiProblems.BadRequest($"The {ApiHeaders.UserId} header must be one positive integer.");
            return false;
        }
        // The request's span names its user, so a trace can be found from a customer's complaint.
        Activity.Current?.SetTag("enduser.id", userId.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    public static bool TryGetIdempotencyKey(HttpRequest request, out string? key, [NotNullWhen(false)] out IResult? problem)
    {
        key = null;
        problem = null;
        var values = request.Headers[ApiHeaders.IdempotencyKey];
        if (values.Count == 0)
        {
            return true;
        }
        var value = values[0];
        if (values.Count > 1 || string.IsNullOrEmpty(value) || value.Length > ApiLimits.MaxIdempotencyKeyLength
            || value.Any(c => c < 0x21 || c > 0x7E))
        {
            problem = ApiProblems.BadRequest(
                $"The {ApiHeaders.IdempotencyKey} header must be 1 to {ApiLimits.MaxIdempotencyKeyLength} visible ASCII characters.");
            return false;
        }
        key = value;
        return true;
    }

    /// <summary>The user, the optional idempotency key and the amount of an order or top-up; the first problem found otherwise.</summary>
    public static async Task<(AmountRequest? Request, IResult? Problem)> ReadAmountRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!TryGetUserId(request, out var userId, out var problem) || !TryGetIdempotencyKey(request, out var idempotencyKey, out problem))
        {
            return (null, problem);
        }
        var (amount, bodyProblem) = await ReadAmountAsync(request, cancellationToken);
        return bodyProblem is null ? (new AmountRequest(userId, idempotencyKey, amount), null) : (null, bodyProblem);
    }

    /// <summary>Reads <c>{"amount": N}</c>: N an integer from 1 to <see cref="ApiLimits.MaxAmount"/> minor units.</summary>
    public static async Task<(long Amount, IResult? Problem)> ReadAmountAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (document, problem) = await ReadJsonObjectAsync(request, cancellationToken);
        if (problem is not null)
        {
            return (0, problem);
        }
        using (document)
        {
            if (!TryGetProperty(document!.RootElement, "amount", out var amount))
            {
                return (0, ApiProblems.Invalid("amount", "The field 'amount' is required."));
            }
            if (amount.ValueKind != JsonValueKind.Number || !amount.TryGetInt64(out var value))
            {
                return (0, ApiProblems.Invalid("amount", $"The field 'amount' must be an integer number of minor units from 1 to {ApiLimits.MaxAmount}."));
            }
            if (value is < 1 or > ApiLimits.MaxAmount)
            {
                return (0, ApiProblems.Invalid("amount", $"The field 'amount' must be from 1 to {ApiLimits.MaxAmount} minor units; it was {value}."));
            }
            return (value, null);
        }
    }

    private static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, ApiProblems.UnsupportedMediaType("The body must be JSON: send the header Content-Type: application/json."));
        }
        if (request.ContentLength > ApiLimits.MaxBodyBytes)
        {
            return (null, ApiProblems.PayloadTooLarge($"The body must not exceed {ApiLimits.MaxBodyBytes} bytes."));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ApiLimits.MaxBodyBytes)
            {
                return (null, ApiProblems.PayloadTooLarge($"The body must not exceed {ApiLimits.MaxBodyBytes} bytes."));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, ApiProblems.BadRequest("The body is empty; send a JSON object."));
        }

        // JsonDocument checks only the strings it reads; the whole body must be UTF-8.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return (null, ApiProblems.BadRequest("The body is not valid UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = ApiLimits.MaxJsonDepth });
        }
        catch (JsonException exception)
        {
            return (null, ApiProblems.BadRequest($"The body is not valid JSON: {exception.Message}"));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, ApiProblems.BadRequest("The body must be a JSON object."));
        }
        return (document, null);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && (!mediaType.Charset.HasValue || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}

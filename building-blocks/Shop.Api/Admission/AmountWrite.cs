using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Shop.Api.Admission;

/// <summary>
/// A write that moves an amount (an order, a top-up): admitted by <see cref="AdmissionControl"/> before its body is read,
/// then read and validated. It holds its place among the writes in progress until disposed.
/// </summary>
public sealed class AmountWrite : IDisposable
{
    private readonly AdmissionControl.Ticket _ticket;
    private int _disposed;

    private AmountWrite(AdmissionControl.Ticket ticket, AmountRequest? input, IResult? refusal)
    {
        _ticket = ticket;
        Input = input;
        Refusal = refusal;
    }

    /// <summary>True when the write goes ahead with <see cref="Input"/>; false when <see cref="Refusal"/> answers it.</summary>
    [MemberNotNullWhen(true, nameof(Input))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Admitted => Input is not null;

    public AmountRequest? Input { get; }

    /// <summary>503 with <c>Retry-After</c> at capacity, or the problem with the request.</summary>
    public IResult? Refusal { get; }

    public static async Task<AmountWrite> BeginAsync(AdmissionControl admission, HttpRequest request, CancellationToken cancellationToken)
    {
        var ticket = admission.TryEnter();
        if (ticket.Refusal is { } refusal)
        {
            return new AmountWrite(ticket, null, refusal);
        }
        try
        {
            var (input, problem) = await ApiRequest.ReadAmountRequestAsync(request, cancellationToken);
            return new AmountWrite(ticket, input, input is null ? problem : null);
        }
        catch
        {
            ticket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ticket.Dispose();
        }
    }
}

namespace Shop.Api.Admission;

/// <summary>How much accepted work an app has not finished yet, as <see cref="AdmissionControl"/> weighs it.</summary>
public interface IBacklogGauge
{
    /// <summary>What it counts, in words for a refusal's detail (e.g. "orders awaiting payment").</summary>
    string Describes { get; }

    /// <summary>The last measurement; null when it cannot be measured (then nothing is refused on its account).</summary>
    long? Current { get; }

    /// <summary>
    /// Work the app has shown it finishes per second lately; null when not measured (then the bound stays at
    /// <see cref="AdmissionOptions.MaxBacklog"/>).
    /// </summary>
    double? Throughput => null;
}

namespace Shop.LoadTest.Measurement;

/// <param name="PeakRssMb">Highest sum of the group's VmRSS seen while sampling (PostgreSQL's shared buffers counted once per backend).</param>
/// <param name="PeakPssMb">Highest sum of the group's proportional set size (read every 10 s and at the end): shared pages split between their users, so it adds up.</param>
/// <param name="HighWaterMb">The kernel's VmHWM of the group's largest process: its peak since it started.</param>
/// <param name="CpuSeconds">User + system CPU used during the sampling window.</param>
public sealed record ProcessUsage(string Name, int Processes, double PeakRssMb, double PeakPssMb, double HighWaterMb, double CpuSeconds);

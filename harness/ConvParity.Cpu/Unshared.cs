namespace ConvParity.Cpu;

/// <summary>
/// Unshared convolution (one kernel per output position, weights (K, O..., C/G, k...)) on the extended
/// input: plain loops, since every output has its own weights there is no reuse for a microkernel to exploit.
/// </summary>
internal static unsafe class Unshared
{
    /// <summary>The layout both directions share.</summary>
    public sealed class Call
    {
        public required int Batch,
            Groups,
            InPerGroup,
            OutPerGroup;
        public required int[] PositionOffsets,
            TapOffsets;
        public required bool Flip;

        /// <summary>Extended planes (N, C, E...).</summary>
        public required float* X;
        public required int PlaneVolume;

        /// <summary>(K, O..., C/G, k...).</summary>
        public required float* W;

        /// <summary>(N, K, O...).</summary>
        public required float* Y;

        public int Channels => Groups * InPerGroup;
        public int Outputs => Groups * OutPerGroup;
        public int Positions => PositionOffsets.Length;
        public int Taps => TapOffsets.Length;

        public float* Plane(int n, int k, int c) =>
            X + ((long)n * Channels + k / OutPerGroup * InPerGroup + c) * PlaneVolume;

        public float* Kernel(int k, int o, int c) => W + (((long)k * Positions + o) * InPerGroup + c) * Taps;

        public int Tap(int t) => Flip ? Taps - 1 - t : t;
    }

    public static void Forward(Call call, WorkerTeam team) =>
        team.Run(
            call.Batch * call.Outputs,
            item =>
            {
                int n = item / call.Outputs,
                    k = item % call.Outputs;
                float* y = call.Y + (long)item * call.Positions;
                for (int o = 0; o < call.Positions; o++)
                {
                    float sum = 0;
                    for (int c = 0; c < call.InPerGroup; c++)
                    {
                        float* x = call.Plane(n, k, c) + call.PositionOffsets[o];
                        float* w = call.Kernel(k, o, c);
                        for (int t = 0; t < call.Taps; t++)
                            sum += w[call.Tap(t)] * x[call.TapOffsets[t]];
                    }
                    y[o] = sum;
                }
            }
        );

    /// <summary>Adds the input gradient over the extended domain into call.X (zeroed by the caller).</summary>
    public static void GradInput(Call call, WorkerTeam team) =>
        team.Run(
            call.Batch,
            n =>
            {
                for (int k = 0; k < call.Outputs; k++)
                {
                    float* dy = call.Y + ((long)n * call.Outputs + k) * call.Positions;
                    for (int o = 0; o < call.Positions; o++)
                    for (int c = 0; c < call.InPerGroup; c++)
                    {
                        float* dx = call.Plane(n, k, c) + call.PositionOffsets[o];
                        float* w = call.Kernel(k, o, c);
                        for (int t = 0; t < call.Taps; t++)
                            dx[call.TapOffsets[t]] += dy[o] * w[call.Tap(t)];
                    }
                }
            }
        );

    /// <summary>Writes the weight gradient into call.W.</summary>
    public static void GradWeights(Call call, WorkerTeam team) =>
        team.Run(
            call.Outputs,
            k =>
            {
                for (int o = 0; o < call.Positions; o++)
                for (int c = 0; c < call.InPerGroup; c++)
                {
                    float* dw = call.Kernel(k, o, c);
                    for (int t = 0; t < call.Taps; t++)
                    {
                        float sum = 0;
                        for (int n = 0; n < call.Batch; n++)
                            sum +=
                                call.Y[((long)n * call.Outputs + k) * call.Positions + o]
                                * call.Plane(n, k, c)[call.PositionOffsets[o] + call.TapOffsets[t]];
                        dw[call.Tap(t)] = sum;
                    }
                }
            }
        );
}

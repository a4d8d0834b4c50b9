using ILGPU;

namespace ConvParity.Gpu.Kernels;

/// <summary>
/// One thread per element of the result, summing its terms in float32 in a fixed order: no atomics,
/// so every run gives the same bits. All three maps are gathers over the same terms the reference
/// engine visits: a term that reads outside the input adds w * OutsideValue for Constant and nothing
/// for Zero (forward and weight adjoint); the input adjoint has no such terms (they do not depend on x).
/// </summary>
internal static class DirectKernels
{
    /// <summary>y[n, k, o] = sum over c in k's group and taps j of w[k, c, j'] * ext(x)[n, c, tap(o, j)].</summary>
    public static void Forward(
        Index1D index,
        ConvGeometry g,
        ArrayView<float> x,
        ArrayView<float> w,
        ArrayView<int> tables,
        ArrayView<float> y
    )
    {
        int oFlat = index % g.OutVolume,
            rest = index / g.OutVolume;
        int k = rest % g.OutChannels,
            n = rest / g.OutChannels;
        int firstChannel = k / g.OutPerGroup * g.InPerGroup;
        int kernelRow = g.KernelRow(k, oFlat);
        float sum = 0;
        for (int c = 0; c < g.InPerGroup; c++)
        {
            int inputBase = (n * g.InChannels + firstChannel + c) * g.InVolume;
            int weightBase = (kernelRow + c) * g.KernelVolume;
            for (int j = 0; j < g.KernelVolume; j++)
            {
                float weight = w[weightBase + g.WeightTap(j)];
                int offset = g.InputOffset(tables, oFlat, j);
                if (offset >= 0)
                    sum += weight * x[inputBase + offset];
                else if (g.ConstantOutside != 0)
                    sum += weight * g.OutsideValue;
            }
        }
        y[index] = sum;
    }

    /// <summary>dx[n, c, i] = sum over k in c's group and the (o, j) whose tap reads i on every axis of dy[n, k, o] *
    /// w[k, c, j'].</summary>
    public static void GradInput(
        Index1D index,
        ConvGeometry g,
        ArrayView<float> dy,
        ArrayView<float> w,
        ArrayView<int> tables,
        ArrayView<float> dx
    )
    {
        int i2 = index % g.In2,
            rest = index / g.In2;
        int i1 = rest % g.In1;
        rest /= g.In1;
        int i0 = rest % g.In0;
        rest /= g.In0;
        int c = rest % g.InChannels,
            n = rest / g.InChannels;
        int group = c / g.InPerGroup,
            channelInGroup = c % g.InPerGroup;
        float sum = 0;
        for (int kk = 0; kk < g.OutPerGroup; kk++)
        {
            int k = group * g.OutPerGroup + kk;
            int outputBase = (n * g.OutChannels + k) * g.OutVolume;
            for (int e0 = tables[g.Hits0 + i0]; e0 < tables[g.Hits0 + i0 + 1]; e0++)
            {
                int tap0 = tables[e0],
                    o0 = tap0 / g.Ker0,
                    j0 = tap0 % g.Ker0;
                for (int e1 = tables[g.Hits1 + i1]; e1 < tables[g.Hits1 + i1 + 1]; e1++)
                {
                    int tap1 = tables[e1],
                        o1 = tap1 / g.Ker1,
                        j1 = tap1 % g.Ker1;
                    for (int e2 = tables[g.Hits2 + i2]; e2 < tables[g.Hits2 + i2 + 1]; e2++)
                    {
                        int tap2 = tables[e2],
                            o2 = tap2 / g.Ker2,
                            j2 = tap2 % g.Ker2;
                        int oFlat = (o0 * g.Out1 + o1) * g.Out2 + o2;
                        int j = (j0 * g.Ker1 + j1) * g.Ker2 + j2;
                        sum +=
                            dy[outputBase + oFlat]
                            * w[(g.KernelRow(k, oFlat) + channelInGroup) * g.KernelVolume + g.WeightTap(j)];
                    }
                }
            }
        }
        dx[index] = sum;
    }

    /// <summary>dw[k, (o,) c, j'] = sum over n and o (only its own o when unshared) of dy[n, k, o] * ext(x)[n, c,
    /// tap(o, j)].</summary>
    public static void GradWeights(
        Index1D index,
        ConvGeometry g,
        ArrayView<float> x,
        ArrayView<float> dy,
        ArrayView<int> tables,
        ArrayView<float> dw
    )
    {
        int weightTap = index % g.KernelVolume,
            rest = index / g.KernelVolume;
        int channelInGroup = rest % g.InPerGroup;
        rest /= g.InPerGroup;
        int k = rest,
            oFirst = 0,
            oEnd = g.OutVolume;
        if (g.Unshared != 0)
        {
            oFirst = rest % g.OutVolume;
            oEnd = oFirst + 1;
            k = rest / g.OutVolume;
        }
        int j = g.WeightTap(weightTap); // the flip is its own inverse
        int c = k / g.OutPerGroup * g.InPerGroup + channelInGroup;
        float sum = 0;
        for (int n = 0; n < g.Batch; n++)
        {
            int inputBase = (n * g.InChannels + c) * g.InVolume;
            int outputBase = (n * g.OutChannels + k) * g.OutVolume;
            for (int oFlat = oFirst; oFlat < oEnd; oFlat++)
            {
                int offset = g.InputOffset(tables, oFlat, j);
                if (offset >= 0)
                    sum += dy[outputBase + oFlat] * x[inputBase + offset];
                else if (g.ConstantOutside != 0)
                    sum += dy[outputBase + oFlat] * g.OutsideValue;
            }
        }
        dw[index] = sum;
    }
}

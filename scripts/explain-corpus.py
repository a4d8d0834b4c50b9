#!/usr/bin/python3
"""Writes the explain corpus: (x, w, y) triples whose y the real libraries computed (numpy, scipy, torch 1.13).

    python3 scripts/explain-corpus.py tests/ConvParity.ParityTests/ExplainCorpus

Each case is one <id>.npz (x, w, y as float32) and an entry in corpus.json: the call that made y, in Python, and the
phrases the convention explain names must contain (a list of alternatives, each a list of phrases: where two
conventions are the same sums, either name is right). Reduced precisions are made the way a library makes them: torch
rounds the operands to bfloat16 / float16 (.to(dtype).float()) and computes in float32; TF32 has no CPU library, so its
operands are rounded with numpy's bit operations (round to nearest even on the 13 low bits, as cuDNN's TF32 does) and
torch computes with them. Nothing here uses ConvParity's own engines. The folder is written beside and swapped in
whole.
"""
import json
import os
import shutil
import sys

import numpy as np
import scipy.ndimage
import scipy.signal
import torch
import torch.nn.functional as F

rng = np.random.default_rng(15)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def n(a):
    return a.detach().numpy().astype(np.float32)


def tf32(a):
    bits = a.astype(np.float32).view(np.uint32).astype(np.uint64)
    bits = bits + 0xFFF + ((bits >> 13) & 1)
    return (bits & ~np.uint64(0x1FFF)).astype(np.uint32).view(np.float32)


def bf16(a):
    return n(t(a).to(torch.bfloat16).float())


def f16(a):
    return n(t(a).to(torch.float16).float())


CASES = []


def case(id, call, expect, x, w, y, or_expect=None):
    """expect: the phrases the simplest match must say; or_expect: those of an equally right other name."""
    alternatives = [expect] + ([or_expect] if or_expect else [])
    CASES.append((id, call, alternatives, x.astype(np.float32), w.astype(np.float32), np.asarray(y, dtype=np.float32)))


def build():
    # Plain numpy / scipy conventions (what explain found before issue 15).
    x, w = rand(40), rand(7)
    case("numpy-convolve-full", "numpy.convolve(x, w, mode='full')", ["true convolution", "full"], x, w,
         np.convolve(x, w, mode="full"))
    x, w = rand(40), rand(6)
    case("numpy-correlate-same", "numpy.correlate(x, w, mode='same')", ["correlation", "'same' size"], x, w,
         np.correlate(x, w, mode="same"))
    x, w = rand(33), rand(5)
    case("numpy-convolve-valid", "numpy.convolve(x, w, mode='valid')", ["true convolution", "valid"], x, w,
         np.convolve(x, w, mode="valid"))
    x, w = rand(12, 11), rand(4, 3)
    case("scipy-convolve2d-same", "scipy.signal.convolve2d(x, w, mode='same')", ["true convolution", "'same' size"],
         x, w, scipy.signal.convolve2d(x, w, mode="same"))
    x, w = rand(10, 9), rand(3, 4)
    case("scipy-correlate2d-full", "scipy.signal.correlate2d(x, w, mode='full')", ["correlation", "full"], x, w,
         scipy.signal.correlate2d(x, w, mode="full"))
    x, w = rand(10, 10), rand(5, 5)
    case("scipy-convolve2d-symm", "scipy.signal.convolve2d(x, w, mode='same', boundary='symm')",
         ["true convolution", "'same' size", "boundary Reflect"], x, w,
         scipy.signal.convolve2d(x, w, mode="same", boundary="symm"))
    x, w = rand(9, 10), rand(3, 3)
    case("scipy-correlate2d-wrap", "scipy.signal.correlate2d(x, w, mode='same', boundary='wrap')",
         ["correlation", "'same' size", "boundary Wrap"], x, w,
         scipy.signal.correlate2d(x, w, mode="same", boundary="wrap"))
    x, w = rand(11, 12), rand(3, 3)
    case("ndimage-correlate-origin", "scipy.ndimage.correlate(x, w, mode='nearest', origin=(0, -1))",
         ["correlation", "'same' size", "boundary Nearest"], x, w,
         scipy.ndimage.correlate(x, w, mode="nearest", origin=(0, -1)))
    x, w = rand(25), rand(4)
    case("numpy-correlate-full", "numpy.correlate(x, w, mode='full')", ["correlation", "full"], x, w,
         np.correlate(x, w, mode="full"))
    x, w = rand(12, 11), rand(5, 5)
    case("ndimage-convolve-mirror", "scipy.ndimage.convolve(x, w, mode='mirror')",
         ["true convolution", "'same' size", "boundary Mirror"], x, w, scipy.ndimage.convolve(x, w, mode="mirror"))
    x, w = rand(6, 7, 5), rand(3, 2, 3)
    case("scipy-convolve-3d-same", "scipy.signal.convolve(x, w, mode='same', method='direct')",
         ["true convolution", "'same' size"], x, w, scipy.signal.convolve(x, w, mode="same", method="direct"))
    x, w = rand(7, 6, 8), rand(2, 3, 2)
    case("scipy-correlate-3d-valid", "scipy.signal.correlate(x, w, mode='valid', method='direct')",
         ["correlation", "valid"], x, w, scipy.signal.correlate(x, w, mode="valid", method="direct"))

    # torch's conv layers (channels first, weights (out, in/groups, k...)).
    x, w = rand(2, 3, 9, 9), rand(4, 3, 3, 3)
    case("torch-conv2d-stride2-pad1", "torch.nn.functional.conv2d(x, w, stride=2, padding=1)",
         ["correlation", "pads before/after 1/1, 1/1", "stride 2x2"], x, w,
         n(F.conv2d(t(x), t(w), stride=2, padding=1)))
    x, w = rand(1, 2, 30), rand(3, 2, 5)
    case("torch-conv1d-pad2", "torch.nn.functional.conv1d(x, w, padding=2)",
         ["correlation", "'same' size"], x, w, n(F.conv1d(t(x), t(w), padding=2)))
    x, w = rand(1, 2, 6, 5, 6), rand(2, 2, 2, 3, 2)
    case("torch-conv3d-valid", "torch.nn.functional.conv3d(x, w)", ["correlation", "valid"], x, w,
         n(F.conv3d(t(x), t(w))))

    # Dilation (issue 15: missed).
    x, w = rand(1, 2, 12, 12), rand(3, 2, 3, 3)
    case("torch-conv2d-dilation2", "torch.nn.functional.conv2d(x, w, dilation=2)",
         ["correlation", "valid", "dilation 2x2"], x, w, n(F.conv2d(t(x), t(w), dilation=2)))
    x, w = rand(2, 1, 40), rand(2, 1, 4)
    case("torch-conv1d-dilation3-pad", "torch.nn.functional.conv1d(x, w, dilation=3, padding=3)",
         ["correlation", "pads before/after 3/3", "dilation 3"], x, w,
         n(F.conv1d(t(x), t(w), dilation=3, padding=3)))
    x, w = rand(1, 1, 10, 16), rand(2, 1, 3, 3)
    case("torch-conv2d-dilation1x4", "torch.nn.functional.conv2d(x, w, dilation=(1, 4))",
         ["correlation", "valid", "dilation 1x4"], x, w, n(F.conv2d(t(x), t(w), dilation=(1, 4))))

    # Groups, depthwise, channel multipliers (missed).
    x, w = rand(1, 4, 8, 8), rand(6, 2, 3, 3)
    case("torch-conv2d-groups2", "torch.nn.functional.conv2d(x, w, groups=2)", ["correlation", "valid", "2 groups"],
         x, w, n(F.conv2d(t(x), t(w), groups=2)))
    x, w = rand(2, 3, 9, 9), rand(3, 1, 3, 3)
    case("torch-conv2d-depthwise", "torch.nn.functional.conv2d(x, w, padding=1, groups=3)",
         ["correlation", "'same' size", "3 groups"], x, w, n(F.conv2d(t(x), t(w), padding=1, groups=3)))
    x, w = rand(1, 3, 8, 7), rand(6, 1, 2, 2)
    case("torch-conv2d-multiplier2", "torch.nn.functional.conv2d(x, w, groups=3)",
         ["correlation", "valid", "3 groups"], x, w, n(F.conv2d(t(x), t(w), groups=3)))
    x, w = rand(1, 4, 25), rand(8, 1, 3)
    case("torch-conv1d-groups4-stride2", "torch.nn.functional.conv1d(x, w, stride=2, groups=4)",
         ["correlation", "stride 2", "4 groups"], x, w, n(F.conv1d(t(x), t(w), stride=2, groups=4)))

    # Plain arrays whose kernel axes were transposed (missed).
    x, w = rand(10, 12), rand(3, 5)
    case("scipy-correlate2d-kernel-T", "scipy.signal.correlate2d(x, w.T, mode='valid')",
         ["correlation", "valid", "kernel spatial axes transposed"], x, w,
         scipy.signal.correlate2d(x, w.T, mode="valid"))
    x, w = rand(11, 9), rand(2, 4)
    case("scipy-convolve-kernel-T-full", "scipy.signal.convolve(x, w.T, mode='full', method='direct')",
         ["true convolution", "full", "kernel spatial axes transposed"], x, w,
         scipy.signal.convolve(x, w.T, mode="full", method="direct"))
    x, w = rand(6, 7, 8), rand(2, 3, 4)
    case("scipy-correlate-3d-kernel-permuted", "scipy.signal.correlate(x, w.transpose(2, 0, 1), mode='valid')",
         ["correlation", "valid", "kernel spatial axes"], x, w,
         scipy.signal.correlate(x, w.transpose(2, 0, 1), mode="valid", method="direct"))

    # Operands rounded to a reduced precision, computed in float32 (bfloat16 missed).
    x, w = rand(1, 3, 10, 10), rand(4, 3, 3, 3)
    case("torch-conv2d-bfloat16", "torch.nn.functional.conv2d(x.bfloat16().float(), w.bfloat16().float())",
         ["correlation", "valid", "bfloat16"], x, w, n(F.conv2d(t(bf16(x)), t(bf16(w)))))
    x, w = rand(30, 30), rand(5, 5)
    case("scipy-correlate2d-bfloat16", "scipy.signal.correlate2d(bf16(x), bf16(w), mode='same') (torch rounds)",
         ["correlation", "'same' size", "bfloat16"], x, w,
         scipy.signal.correlate2d(bf16(x), bf16(w), mode="same"))
    x, w = rand(1, 2, 9, 9), rand(2, 2, 3, 3)
    case("torch-conv2d-float16", "torch.nn.functional.conv2d(x.half().float(), w.half().float(), padding=1)",
         ["correlation", "'same' size", "float16"], x, w, n(F.conv2d(t(f16(x)), t(f16(w)), padding=1)))
    x, w = rand(1, 4, 9, 9), rand(4, 4, 3, 3)
    case("torch-conv2d-tf32", "torch.nn.functional.conv2d(tf32(x), tf32(w)) (numpy rounds to TF32)",
         ["correlation", "valid", "TF32"], x, w, n(F.conv2d(t(tf32(x)), t(tf32(w)))))

    # Transposed convolution, output_padding included.
    x, w = rand(1, 3, 5, 5), rand(3, 2, 3, 3)
    case("torch-conv-transpose2d-outpad", "torch.nn.functional.conv_transpose2d(x, w, stride=2, padding=1,"
         " output_padding=1)", ["transposed convolution", "stride 2x2"], x, w,
         n(F.conv_transpose2d(t(x), t(w), stride=2, padding=1, output_padding=1)))
    x, w = rand(2, 2, 7), rand(2, 3, 4)
    case("torch-conv-transpose1d-outpad2", "torch.nn.functional.conv_transpose1d(x, w, stride=3, output_padding=2)",
         ["transposed convolution", "stride 3"], x, w,
         n(F.conv_transpose1d(t(x), t(w), stride=3, output_padding=2)))
    x, w = rand(1, 4, 4, 4), rand(4, 1, 3, 3)
    case("torch-conv-transpose2d-groups2", "torch.nn.functional.conv_transpose2d(x, w, stride=2, groups=2)",
         ["transposed convolution", "stride 2x2", "2 groups"], x, w,
         n(F.conv_transpose2d(t(x), t(w), stride=2, groups=2)))
    x, w = rand(1, 2, 6, 6), rand(2, 2, 3, 3)
    # With stride 1 a transposed convolution is also a full true convolution with the kernel's channels swapped:
    # the same sums, so either name is right.
    case("torch-conv-transpose2d-dilation2", "torch.nn.functional.conv_transpose2d(x, w, dilation=2)",
         ["transposed convolution", "dilation 2x2"], x, w, n(F.conv_transpose2d(t(x), t(w), dilation=2)),
         ["true convolution", "full", "dilation 2x2", "kernel (in, out, spatial...)"])
    x, w = rand(1, 2, 5, 5), rand(2, 3, 3, 3)
    case("torch-conv-transpose2d-stride2-dilation2",
         "torch.nn.functional.conv_transpose2d(x, w, stride=2, padding=1, dilation=2)",
         ["transposed convolution", "stride 2x2", "dilation 2x2"], x, w,
         n(F.conv_transpose2d(t(x), t(w), stride=2, padding=1, dilation=2)))
    x, w = rand(1, 4, 10, 10), rand(4, 2, 3, 3)
    case("torch-conv2d-groups2-dilation2-pad2", "torch.nn.functional.conv2d(x, w, padding=2, dilation=2, groups=2)",
         ["correlation", "'same' size", "dilation 2x2", "2 groups"], x, w,
         n(F.conv2d(t(x), t(w), padding=2, dilation=2, groups=2)))

    # Channels-last data (TensorFlow's NHWC; the weights in torch's layout).
    x, w = rand(1, 8, 8, 3), rand(2, 3, 3, 3)
    case("torch-conv2d-nhwc", "torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), w, padding=1).permute(0, 2, 3, 1)",
         ["correlation", "'same' size", "data (N, spatial..., C)"], x, w,
         n(F.conv2d(t(x).permute(0, 3, 1, 2), t(w), padding=1).permute(0, 2, 3, 1).contiguous()))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: explain-corpus.py OUT_DIR")
    out = os.path.abspath(sys.argv[1])
    partial = f"{out}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    try:
        build()
        entries = []
        for id, call, expect, x, w, y in CASES:
            np.savez_compressed(os.path.join(partial, f"{id}.npz"), x=x, w=w, y=y)
            entries.append({"id": id, "call": call, "expect": expect})
        meta = {
            "format": "convparity.explain-corpus/1",
            "made_with": {"numpy": np.__version__, "scipy": scipy.__version__, "torch": torch.__version__},
            "cases": entries,
        }
        with open(os.path.join(partial, "corpus.json"), "w") as f:
            json.dump(meta, f, indent=1)
            f.write("\n")
        shutil.rmtree(out, ignore_errors=True)
        os.rename(partial, out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    print(f"{len(CASES)} cases in {out}")


if __name__ == "__main__":
    main()

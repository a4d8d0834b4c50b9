using ConvParity.Python;

namespace ConvParity.Tests.Live;

/// <summary>
/// The live reference for tests. Without Python a live test is skipped with the one-paragraph reason,
/// unless CONVPARITY_REQUIRE_PYTHON=1 (set by .ci/run), where it fails: a skipped test is not a pass.
/// </summary>
public static class LivePython
{
    /// <summary>Whether this run demands Python.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("CONVPARITY_REQUIRE_PYTHON") == "1";

    /// <summary>The live reference, or the test is skipped (failed when required) with the reason.</summary>
    public static LiveReference Reference()
    {
        if (LiveReference.TryStart(out var reference, out string? reason))
            return reference!;
        Unavailable(reason!);
        return null!;
    }

    /// <summary>The live reference, and <paramref name="call"/> importable in it; else skipped (failed when
    /// required).</summary>
    public static LiveReference ReferenceFor(string call)
    {
        var reference = Reference();
        if (reference.Unavailable(call) is { } reason)
            Unavailable($"{call} is not available: {reason}");
        return reference;
    }

    /// <summary>
    /// Whether the real Theano 1.0.5 is meant to be here: ../shared/theano holds it beside the repository
    /// (scripts/test then puts it on PYTHONPATH). A required run then fails where `import theano` does not work.
    /// </summary>
    public static bool TheanoBundled =>
        File.Exists(Path.Combine(Repository.Root, "..", "shared", "theano", "theano-1.0.5.tar.gz"));

    /// <summary>
    /// The live reference with Theano's <paramref name="call"/> importable. A call that needs a GPU
    /// (cuDNN's dnn_conv) is skipped by name wherever it is unavailable; any other is skipped without
    /// Theano, or failed when this run demands Python and Theano is bundled (<see cref="TheanoBundled"/>).
    /// </summary>
    public static LiveReference TheanoFor(string call)
    {
        var reference = Reference();
        if (reference.Unavailable(call) is not { } reason)
            return reference;
        if (Skips(call, Required, TheanoBundled))
            Assert.Ignore($"{call} is not available: {reason}");
        Assert.Fail(
            $"CONVPARITY_REQUIRE_PYTHON=1 and ../shared/theano is present, but {call} is not available: {reason}"
        );
        return null!;
    }

    /// <summary>Whether an unavailable Theano call is skipped (true) or failed (false).</summary>
    public static bool Skips(string call, bool required, bool bundled) => NeedsGpu(call) || !(required && bundled);

    /// <summary>cuDNN's dnn_conv runs only on a GPU.</summary>
    public static bool NeedsGpu(string call) => call.EndsWith(".dnn.dnn_conv", StringComparison.Ordinal);

    private static void Unavailable(string reason)
    {
        if (Required)
            Assert.Fail($"CONVPARITY_REQUIRE_PYTHON=1 and the live reference is missing: {reason}");
        Assert.Ignore(reason);
    }
}

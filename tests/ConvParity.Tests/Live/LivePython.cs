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
        if (LiveReference.TryStart(out var reference, out string? reason)) return reference!;
        Unavailable(reason!);
        return null!;
    }

    /// <summary>The live reference, and <paramref name="call"/> importable in it; else skipped (failed when required).</summary>
    public static LiveReference ReferenceFor(string call)
    {
        var reference = Reference();
        if (reference.Unavailable(call) is { } reason) Unavailable($"{call} is not available: {reason}");
        return reference;
    }

    private static void Unavailable(string reason)
    {
        if (Required) Assert.Fail($"CONVPARITY_REQUIRE_PYTHON=1 and the live reference is missing: {reason}");
        Assert.Ignore(reason);
    }
}

using ConvParity.Cli;
using ConvParity.Gpu;

namespace ConvParity.Tests;

/// <summary>Choosing the GPU engine's accelerator: names, the automatic order, and clear errors instead of
/// fallbacks.</summary>
public sealed class AcceleratorTests
{
    [TestCase("cuda", AcceleratorKind.Cuda)]
    [TestCase("OpenCL", AcceleratorKind.OpenCL)]
    [TestCase(" cpu ", AcceleratorKind.Cpu)]
    public void Names_parse_case_insensitively(string text, AcceleratorKind kind) =>
        Assert.That(Accelerators.Parse(text, "test"), Is.EqualTo(kind));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("auto")]
    public void No_name_or_auto_means_no_preference(string? text) =>
        Assert.That(Accelerators.Parse(text, "test"), Is.Null);

    [Test]
    public void An_unknown_name_is_refused_naming_its_source_and_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => Accelerators.Parse("tpu", Accelerators.EnvironmentVariable));
        Assert.That(
            error.Message,
            Does.Contain("CONVPARITY_ACCELERATOR").And.Contain("'tpu'").And.Contain("cuda, opencl, cpu")
        );
    }

    [TestCase(new[] { AcceleratorKind.Cpu, AcceleratorKind.OpenCL, AcceleratorKind.Cuda }, AcceleratorKind.Cuda)]
    [TestCase(new[] { AcceleratorKind.Cpu, AcceleratorKind.OpenCL }, AcceleratorKind.OpenCL)]
    [TestCase(new[] { AcceleratorKind.Cpu }, AcceleratorKind.Cpu)]
    public void Without_a_request_the_first_present_of_cuda_opencl_cpu_is_chosen(
        AcceleratorKind[] present,
        AcceleratorKind chosen
    ) => Assert.That(Accelerators.Choose(null, present), Is.EqualTo(chosen));

    [Test]
    public void A_request_is_honoured_even_when_a_preferred_kind_is_present() =>
        Assert.That(
            Accelerators.Choose(AcceleratorKind.Cpu, [AcceleratorKind.Cuda, AcceleratorKind.Cpu]),
            Is.EqualTo(AcceleratorKind.Cpu)
        );

    [Test]
    public void A_request_for_an_absent_kind_is_an_error_naming_it_and_what_is_present()
    {
        var error = Assert.Throws<AcceleratorUnavailableException>(() =>
            Accelerators.Choose(AcceleratorKind.Cuda, [AcceleratorKind.Cpu])
        );
        Assert.That(
            error.Message,
            Does.Contain("cuda accelerator was asked for").And.Contain("accelerators present: cpu")
        );
    }

    [Test]
    public void The_cpu_accelerator_opens_everywhere()
    {
        using var device = GpuDevice.Open(AcceleratorKind.Cpu);
        Assert.That(device.Kind, Is.EqualTo(AcceleratorKind.Cpu));
        Assert.That(device.ToString(), Does.StartWith("cpu: "));
    }

    [TestCase(AcceleratorKind.Cuda)]
    [TestCase(AcceleratorKind.OpenCL)]
    public void A_gpu_kind_opens_where_ilgpu_finds_one_and_is_a_clear_error_elsewhere(AcceleratorKind kind)
    {
        if (GpuDevice.PresentKinds().Contains(kind))
        {
            using var device = GpuDevice.Open(kind);
            Assert.That(device.Kind, Is.EqualTo(kind));
        }
        else
        {
            var error = Assert.Throws<AcceleratorUnavailableException>(() => GpuDevice.Open(kind));
            Assert.That(
                error.Message,
                Does.Contain($"the {Accelerators.NameOf(kind)} accelerator was asked for").And.Contain("cpu")
            );
        }
    }

    [Test]
    public void The_check_command_runs_the_gpu_engine_on_the_cpu_accelerator()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exit = CommandLine.Run(
            [
                "check",
                "--engine",
                "gpu",
                "--accelerator",
                "cpu",
                "--fixtures",
                Path.Combine(Repository.Fixtures, "seed"),
            ],
            output,
            errors
        );
        Assert.That(exit, Is.EqualTo(ExitCodes.Passed), output + errors.ToString());
        Assert.That(output.ToString(), Does.Contain("5 passed, 0 failed, 0 unsupported"));
        Assert.That(errors.ToString(), Does.Contain("engine gpu runs on cpu: "));
    }

    [Test]
    public void The_check_command_refuses_an_unknown_accelerator_name()
    {
        var errors = new StringWriter();
        int exit = CommandLine.Run(
            [
                "check",
                "--engine",
                "gpu",
                "--accelerator",
                "tpu",
                "--fixtures",
                Path.Combine(Repository.Fixtures, "seed"),
            ],
            TextWriter.Null,
            errors
        );
        Assert.That(exit, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors.ToString(), Does.Contain("--accelerator: 'tpu' is not an accelerator"));
    }

    [TestCase(AcceleratorKind.Cuda)]
    [TestCase(AcceleratorKind.OpenCL)]
    [TestCase(AcceleratorKind.Cpu)]
    public void The_check_command_runs_on_the_kind_asked_for_or_refuses_it_never_another(AcceleratorKind kind)
    {
        // Every machine takes one branch per kind: where the kind is present the check runs on it (no other),
        // where it is absent the run is refused by name instead of falling back.
        string name = Accelerators.NameOf(kind);
        var output = new StringWriter();
        var errors = new StringWriter();
        int exit = CommandLine.Run(
            [
                "check",
                "--engine",
                "gpu",
                "--accelerator",
                name,
                "--fixtures",
                Path.Combine(Repository.Fixtures, "seed"),
            ],
            output,
            errors
        );
        if (GpuDevice.PresentKinds().Contains(kind))
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Passed), output + errors.ToString());
            Assert.That(errors.ToString(), Does.Contain($"engine gpu runs on {name}: "));
        }
        else
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.BadArguments));
            Assert.That(
                errors.ToString(),
                Does.Contain($"engine 'gpu' is unavailable: the {name} accelerator was asked for")
            );
            Assert.That(errors.ToString(), Does.Not.Contain("engine gpu runs on"));
        }
    }

    [Test, NonParallelizable]
    public void The_environment_variable_chooses_the_accelerator_when_no_option_does()
    {
        string? saved = Environment.GetEnvironmentVariable(Accelerators.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(Accelerators.EnvironmentVariable, "cpu");
            var engine = (GpuEngine)CommandLine.Engines().Create(GpuEngine.EngineName);
            Assert.That(engine.Device.Kind, Is.EqualTo(AcceleratorKind.Cpu));

            Environment.SetEnvironmentVariable(Accelerators.EnvironmentVariable, "tpu");
            var error = Assert.Throws<ArgumentException>(() => CommandLine.Engines().Create(GpuEngine.EngineName));
            Assert.That(error.Message, Does.Contain("CONVPARITY_ACCELERATOR: 'tpu'"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Accelerators.EnvironmentVariable, saved);
        }
    }
}

using System.Runtime.CompilerServices;

// The CPU accelerator runs kernels through types it emits at run time; they use the internal kernel types.
[assembly: InternalsVisibleTo(ILGPU.Context.RuntimeAssemblyName)]

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Tensors;
using Python.Runtime;

namespace ConvParity.Python;

/// <summary>
/// The real libraries, answering calls live in the embedded interpreter: numpy and scipy functions
/// are called with the call's own arrays and kwargs; Theano's build and compile the graph and run it.
/// A call whose library cannot be imported is not available (<see cref="Unavailable"/>), never answered
/// by anything else. numpy and scipy calls may run on many threads at once (each takes the GIL);
/// Theano calls run one at a time, because Theano's compile lock is per process.
/// </summary>
public sealed class LiveReference
{
    private const string ModuleName = "convparity_live";
    private static readonly Lazy<LiveReference> Shared = new(
        () => new LiveReference(PythonRuntime.Start()),
        LazyThreadSafetyMode.ExecutionAndPublication
    );

    private readonly PyObject _module;
    private readonly ConcurrentDictionary<string, string?> _unavailable = new(StringComparer.Ordinal);
    private readonly Lock _theano = new();

    /// <summary>First imports one at a time (taken before Theano's lock and the GIL): threads importing at once can
    /// meet a module another is still initialising (scipy.signal's import found scipy.spatial.distance so), and
    /// the ImportError ("partially initialized module") would mark the call unavailable for the whole run.</summary>
    private readonly Lock _imports = new();

    private LiveReference(PythonRuntime runtime)
    {
        Runtime = runtime;
        string source = ReadSource();
        _module = runtime.Run(
            "loading ConvParity's Python module",
            () =>
            {
                var module = PyModule.FromString(ModuleName, source, $"<{ModuleName}.py>");
                // The Python side refuses any other call too: a second line of defence behind
                // ConventionRegistry.Refusal.
                using var allowed = new PyDict();
                foreach (var convention in ConventionRegistry.All.Where(c => c.NotLive is null))
                foreach (string call in convention.Calls)
                {
                    int fewest = convention.ArrayArguments(call);
                    allowed[call] = new PyList([
                        new PyInt(fewest),
                        new PyInt(fewest + convention.OptionalArrayArguments(call)),
                    ]);
                }
                module.InvokeMethod("allow", allowed).Dispose();
                return module;
            }
        );
    }

    /// <summary>The embedded Python.</summary>
    public PythonRuntime Runtime { get; }

    /// <summary>Starts Python (once per process) and the live reference on it.</summary>
    /// <exception cref="PythonUnavailableException">Python, libpython or numpy is missing; the message says what and
    /// how to install it.</exception>
    public static LiveReference Start() => Shared.Value;

    /// <summary>Starts the live reference, or gives the one-paragraph reason Python cannot be used.</summary>
    public static bool TryStart(out LiveReference? reference, out string? reason)
    {
        try
        {
            (reference, reason) = (Start(), null);
            return true;
        }
        catch (PythonUnavailableException e)
        {
            (reference, reason) = (null, e.Message);
            return false;
        }
    }

    /// <summary>Null when <paramref name="call"/> can be answered here, else why not (its library or module cannot be
    /// imported).</summary>
    public string? Unavailable(string call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (ConventionRegistry.NotLive(call) is { } notLive)
            return notLive;
        return ImportProblem(call, call, "availability", call, $"import for {call}");
    }

    /// <summary>Null when <paramref name="library"/> ("scipy", "theano") imports here, else why it does not.</summary>
    public string? UnavailableLibrary(string library)
    {
        ArgumentNullException.ThrowIfNull(library);
        return ImportProblem("library:" + library, library + ".", "library_problem", library, $"import {library}");
    }

    /// <summary>
    /// The reason cached under <paramref name="key"/>, found the first time by the module's <paramref name="check"/>
    /// of <paramref name="argument"/> (null: it imports), one import at a time (<see cref="_imports"/>) and, for
    /// Theano, <see cref="Serialised{T}"/> as <paramref name="call"/>; <paramref name="what"/> names the work in
    /// Python's errors.
    /// </summary>
    private string? ImportProblem(string key, string call, string check, string argument, string what) =>
        _unavailable.GetOrAdd(
            key,
            _ =>
            {
                lock (_imports)
                    return Serialised(
                        call,
                        () =>
                            Runtime.Run(
                                what,
                                () =>
                                {
                                    using var reason = _module.InvokeMethod(check, new PyString(argument));
                                    return reason.IsNone() ? null : reason.ToString();
                                }
                            )
                    );
            }
        );

    /// <summary>The library's answer to <paramref name="call"/>.</summary>
    /// <exception cref="LibraryUnavailableException">The call's library cannot be imported here.</exception>
    /// <exception cref="PythonCallException">The library raised; carries Python's type, message and
    /// traceback.</exception>
    public LiveAnswer Answer(LibraryCall call) => Answer(call, saveTo: null);

    /// <summary>
    /// The library's answer to <paramref name="call"/>, also written with numpy's savez_compressed to
    /// <paramref name="saveTo"/> (a .npz holding the arguments under their names and the answer as <paramref
    /// name="expectedName"/>).
    /// </summary>
    /// <exception cref="LibraryUnavailableException">The call's library cannot be imported here.</exception>
    /// <exception cref="PythonCallException">The library (or numpy's writer) raised.</exception>
    public LiveAnswer Answer(LibraryCall call, string? saveTo, string expectedName = "expected")
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.ArgNames.Count != call.Args.Count)
            throw new ArgumentException(
                $"{call.Call}: {call.ArgNames.Count} argument names for {call.Args.Count} arrays.",
                nameof(call)
            );
        Refuse(call.Call, call.Args.Count);
        RequireAvailable(call.Call);
        return Serialised(
            call.Call,
            () =>
                Runtime.Run(
                    call.Call,
                    () =>
                    {
                        var arrays = ToNumpy(call);
                        try
                        {
                            var result = Invoke(call.Call, arrays, call.Kwargs);
                            if (saveTo is not null)
                                Save(saveTo, [.. call.ArgNames, expectedName], [.. arrays, result]);
                            return ToAnswer(result);
                        }
                        finally
                        {
                            arrays.ForEach(a => a.Dispose());
                        }
                    }
                )
        );
    }

    /// <summary>
    /// The library's answer to a fixture case, its arrays read by numpy itself from <paramref name="npzPath"/>
    /// (so they reach the library exactly as stored, whatever their dtype).
    /// </summary>
    /// <exception cref="LibraryUnavailableException">The call's library cannot be imported here.</exception>
    /// <exception cref="PythonCallException">The library raised, or the file could not be read.</exception>
    public LiveAnswer AnswerFromFile(string call, string npzPath, IReadOnlyList<string> argNames, JsonObject kwargs)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(argNames);
        ArgumentNullException.ThrowIfNull(kwargs);
        Refuse(call, argNames.Count);
        RequireAvailable(call);
        return Serialised(
            call,
            () =>
                Runtime.Run(
                    call,
                    () =>
                    {
                        using var names = new PyList([.. argNames.Select(n => (PyObject)new PyString(n))]);
                        using var loaded = _module.InvokeMethod("load", new PyString(npzPath), names);
                        var arrays = Enumerable.Range(0, argNames.Count).Select(i => loaded[i]).ToList();
                        try
                        {
                            return ToAnswer(Invoke(call, arrays, kwargs));
                        }
                        finally
                        {
                            arrays.ForEach(a => a.Dispose());
                        }
                    }
                )
        );
    }

    /// <summary>Writes arrays to a compressed .npz with numpy's own writer.</summary>
    /// <exception cref="PythonCallException">numpy could not write the file.</exception>
    public void Save(string path, IReadOnlyList<string> names, IReadOnlyList<Tensor> arrays)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(arrays);
        Runtime.Run(
            $"numpy.savez_compressed({path})",
            () =>
            {
                var numpyArrays = arrays.Select(NumpyArrays.ToNumpy).ToList();
                try
                {
                    Save(path, names, numpyArrays);
                }
                finally
                {
                    numpyArrays.ForEach(a => a.Dispose());
                }
            }
        );
    }

    /// <summary>Writes the arrays of <paramref name="call"/> as the library receives them (float32, or float64) to a
    /// compressed .npz.</summary>
    /// <exception cref="PythonCallException">numpy could not write the file.</exception>
    public void Save(string path, LibraryCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Runtime.Run(
            $"numpy.savez_compressed({path})",
            () =>
            {
                var arrays = ToNumpy(call);
                try
                {
                    Save(path, call.ArgNames, arrays);
                }
                finally
                {
                    arrays.ForEach(a => a.Dispose());
                }
            }
        );
    }

    /// <summary>
    /// Reads one ONNX node test with the onnx package: <paramref name="model"/> (model.onnx, external data never
    /// loaded) and, per data set, its .pb files. The node must be Conv or ConvTranspose of the default domain on
    /// FLOAT tensors declared in the graph, each tensor at most <paramref name="maxElements"/> elements.
    /// </summary>
    /// <exception cref="LibraryUnavailableException">onnx cannot be imported here.</exception>
    /// <exception cref="PythonCallException">The files are something else (ValueError names what), or unreadable.
    /// </exception>
    public OnnxNodeTest ReadOnnxNodeTest(string model, IReadOnlyList<IReadOnlyList<string>> dataSets, long maxElements)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataSets);
        if (OnnxProblem() is { } reason)
            throw new LibraryUnavailableException("onnx", reason);
        return Runtime.Run(
            $"reading the ONNX node test {model}",
            () =>
            {
                using var sets = new PyList([
                    .. dataSets.Select(files =>
                        (PyObject)new PyList([.. files.Select(f => (PyObject)new PyString(f))])
                    ),
                ]);
                using var read = _module.InvokeMethod(
                    "onnx_node_test",
                    new PyString(model),
                    sets,
                    new PyInt(maxElements)
                );
                var data = new List<OnnxDataSet>();
                using var pySets = read[3];
                for (int i = 0; i < pySets.Length(); i++)
                {
                    using var set = pySets[i];
                    using var inputs = set[0];
                    using var output = set[1];
                    var tensors = new List<Tensor>();
                    for (int j = 0; j < inputs.Length(); j++)
                    {
                        using var input = inputs[j];
                        tensors.Add(NumpyArrays.ToTensor(input));
                    }
                    data.Add(new OnnxDataSet(tensors, NumpyArrays.ToTensor(output)));
                }
                using var names = read[2];
                return new OnnxNodeTest(
                    read[0].ToString()!,
                    (JsonObject)JsonNode.Parse(read[1].ToString()!)!,
                    [.. Enumerable.Range(0, (int)names.Length()).Select(i => names[i].ToString()!)],
                    data,
                    read[4].ToString()!,
                    read[5].As<int>()
                );
            }
        );
    }

    /// <summary>Null when the onnx package imports here (for reading the ONNX authors' node tests), else why
    /// not.</summary>
    public string? OnnxProblem() =>
        _unavailable.GetOrAdd(
            "reader:onnx",
            _ =>
                Runtime.Run(
                    "import onnx",
                    () =>
                    {
                        using var reason = _module.InvokeMethod("onnx_problem");
                        return reason.IsNone() ? null : reason.ToString();
                    }
                )
        );

    /// <summary>The call's arrays as numpy arrays of its dtype (inside the GIL).</summary>
    private static List<PyObject> ToNumpy(LibraryCall call) =>
        call.Float64Args is { } doubles
            ? [.. doubles.Select((d, i) => NumpyArrays.ToNumpy<double>(d, call.Args[i].Shape))]
            : [.. call.Args.Select(NumpyArrays.ToNumpy)];

    /// <summary>Python's and the libraries' versions and the machine, as a suite manifest's "environment".</summary>
    public JsonObject Environment(IEnumerable<string> libraries)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        var names = libraries.ToList();
        foreach (string library in names)
            if (UnavailableLibrary(library) is { } reason)
                throw new LibraryUnavailableException(library, reason);
        string json = Runtime.Run(
            "environment",
            () =>
            {
                using var jsonModule = Py.Import("json");
                using var list = new PyList([.. names.Select(n => (PyObject)new PyString(n))]);
                using var info = _module.InvokeMethod("environment", list);
                return jsonModule.InvokeMethod("dumps", info).ToString()!;
            }
        );
        return (JsonObject)JsonNode.Parse(json)!;
    }

    /// <summary>Throws unless a convention handles <paramref name="call"/> with that many arrays: nothing else reaches
    /// Python.</summary>
    /// <exception cref="ArgumentException">The call is not in the registry, or takes another number of
    /// arrays.</exception>
    private static void Refuse(string call, int arrays)
    {
        if (ConventionRegistry.Refusal(call, arrays) is { } reason)
            throw new ArgumentException(reason, nameof(call));
    }

    private void RequireAvailable(string call)
    {
        if (Unavailable(call) is { } reason)
            throw new LibraryUnavailableException(call, reason);
    }

    /// <summary>Theano's calls one at a time (its lock taken before the GIL, always in that order); others as they
    /// come.</summary>
    private T Serialised<T>(string call, Func<T> body)
    {
        if (!call.StartsWith("theano.", StringComparison.Ordinal))
            return body();
        lock (_theano)
            return body();
    }

    private PyObject Invoke(string call, IReadOnlyList<PyObject> arrays, JsonObject kwargs)
    {
        using var args = new PyTuple([.. arrays]);
        return _module.InvokeMethod("answer", new PyString(call), args, new PyString(kwargs.ToJsonString()));
    }

    private void Save(string path, IReadOnlyList<string> names, IReadOnlyList<PyObject> arrays)
    {
        using var pyNames = new PyList([.. names.Select(n => (PyObject)new PyString(n))]);
        using var pyArrays = new PyList([.. arrays]);
        _module.InvokeMethod("save", new PyString(path), pyNames, pyArrays).Dispose();
    }

    private static LiveAnswer ToAnswer(PyObject result)
    {
        using (result)
        {
            string dtype = NumpyArrays.DTypeOf(result);
            if (dtype == "float32")
                return new LiveAnswer(NumpyArrays.ToTensor(result), dtype);
            var values = NumpyArrays.FromNumpy<double>(result, out var shape);
            var rounded = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
                rounded[i] = (float)values[i];
            return new LiveAnswer(new Tensor(rounded, shape), dtype);
        }
    }

    private static string ReadSource()
    {
        var assembly = typeof(LiveReference).Assembly;
        using var stream =
            assembly.GetManifestResourceStream($"{ModuleName}.py")
            ?? throw new InvalidOperationException($"{ModuleName}.py is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

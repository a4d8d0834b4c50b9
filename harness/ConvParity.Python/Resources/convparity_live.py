"""ConvParity's side of the embedded interpreter.

Answers one library call, named as a user writes it ("scipy.signal.correlate"), on numpy arrays
with JSON keyword arguments. numpy and scipy functions are called as they are; Theano's functions
build a graph on symbolic inputs, which is compiled once per signature and then evaluated.
"""
import importlib
import json
import platform
import sys

import numpy as np

# What to install, by top-level package, for the message of a library that is missing.
_APT = {"numpy": "python3-numpy", "scipy": "python3-scipy", "onnx": "python3-onnx", "torch": "python3-torch"}

_allowed = {}  # call -> (fewest, most) array arguments it takes: the only calls ever imported or run
_functions = {}  # call -> the function, or the Unavailable that explains why there is none
_compiled = {}  # (call, ndims, dtypes, kwargs) -> compiled Theano function


class Unavailable(Exception):
    """The call's library, or the module holding it, cannot be imported in this interpreter."""


def allow(calls):
    """Sets the calls that may be imported and run (ConvParity's conventions), with their array argument counts:
    an int, or [fewest, most] where some are optional (a bias)."""
    global _allowed
    _allowed = {}
    for call, count in dict(calls).items():
        counts = [int(c) for c in count] if isinstance(count, (list, tuple)) or hasattr(count, "__len__") else None
        _allowed[str(call)] = (counts[0], counts[-1]) if counts else (int(count), int(count))


def _refusal(call):
    if call not in _allowed:
        return f"{call} is not a call any ConvParity convention handles; it is never imported or run"
    return None


def _import_reason(library, error):
    where = sys.executable or "the embedded interpreter"
    if isinstance(error, ModuleNotFoundError) and error.name == library:
        hint = f"; install it with: sudo apt-get install {_APT[library]}" if library in _APT else ""
        return f"{library} is not installed for {where} (Python {platform.python_version()}){hint}"
    return f"import {library} failed in {where}: {type(error).__name__}: {error}"


def _resolve(call):
    refusal = _refusal(call)
    if refusal:
        raise Unavailable(refusal)
    parts = call.split(".")
    library = parts[0]
    try:
        importlib.import_module(library)
    except Exception as error:  # any failure to import makes the library unavailable, by name
        raise Unavailable(_import_reason(library, error)) from None
    missing = None
    for cut in range(len(parts) - 1, 0, -1):
        name = ".".join(parts[:cut])
        try:
            owner = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and (name == error.name or name.startswith(error.name + ".")):
                missing = missing or error
                continue  # not a module: the next shorter prefix may hold it as an attribute
            raise Unavailable(f"import {name} failed: {type(error).__name__}: {error}") from None
        except Exception as error:
            raise Unavailable(f"import {name} failed: {type(error).__name__}: {error}") from None
        target = owner
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except AttributeError:
            version = getattr(sys.modules[library], "__version__", "?")
            detail = f" ({type(missing).__name__}: {missing})" if missing else ""
            raise Unavailable(f"{call} does not exist in {library} {version}{detail}") from None
        if not callable(target):
            raise Unavailable(f"{call} is not a function in {library}")
        if call.startswith("theano.gpuarray."):
            gpuarray = importlib.import_module("theano.gpuarray")
            if not getattr(gpuarray, "pygpu_activated", False):
                raise Unavailable(f"{call} needs a GPU context: theano.gpuarray.pygpu_activated is False "
                                  "(run with THEANO_FLAGS=device=cuda on a machine with a GPU and pygpu)")
        return target
    raise Unavailable(f"{call} is not a dotted function name")


def _function(call):
    found = _functions.get(call)
    if found is None:
        try:
            found = _resolve(call)
        except Unavailable as reason:
            found = reason
        _functions[call] = found
    if isinstance(found, Unavailable):
        raise found
    return found


def availability(call):
    """None when the call can be answered here, else the reason it cannot (one line)."""
    try:
        _function(call)
        return None
    except Unavailable as reason:
        return str(reason)


def library_problem(library):
    """None when the library imports here, else the reason it does not (one line)."""
    if library not in {call.split(".")[0] for call in _allowed}:
        return f"{library} is not the library of any call ConvParity handles; it is never imported"
    try:
        importlib.import_module(library)
        return None
    except Exception as error:  # any failure to import makes the library unavailable, by name
        return _import_reason(library, error)


def _tuples(value):
    # Theano wants tuples where JSON has lists: subsample, border_mode pairs, shapes.
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


_SIGNAL_CONV2D = "theano.tensor.signal.conv.conv2d"


def _theano(function, call, args, kwargs, kwargs_json):
    # signal.conv.conv2d drops the axes a 2-D input or 2-D filters lack with tensor.flatten, whose
    # graph needs the length of a shape slice that Theano 1.0.5 cannot work out here ("length not
    # known: Subtensor{:int64:}"). Such an argument is given as a stack of one (a broadcastable
    # leading axis): the ConvOp that computes the numbers is the same, and the axis is dropped after.
    lifted = [call == _SIGNAL_CONV2D and a.ndim == 2 for a in args]
    args = [a[np.newaxis] if lift else a for a, lift in zip(args, lifted)]
    key = (call, tuple(a.ndim for a in args), tuple(lifted), tuple(a.dtype.str for a in args), kwargs_json)
    compiled = _compiled.get(key)
    if compiled is None:
        import theano
        symbols = [theano.tensor.TensorType(a.dtype, (lift,) + (False,) * (a.ndim - 1))(f"arg{i}")
                   for i, (a, lift) in enumerate(zip(args, lifted))]
        output = function(*symbols, **{k: _tuples(v) for k, v in kwargs.items()})
        compiled = theano.function(symbols, output)
        _compiled[key] = compiled
    result = compiled(*args)
    if any(lifted):  # (input stack, filter stack, rows, cols): drop the stacks of one, filters' first
        result = np.asarray(result)
        for axis in (1, 0):
            if lifted[axis]:
                result = result.reshape(result.shape[:axis] + result.shape[axis + 1:])
    return result


def _torch(function, call, args, kwargs):
    # torch works on its own tensors, on one thread (a fixed summation order from run to run). The torch.nn.grad
    # functions take the shape they are given as their first or second positional argument; the modules are built
    # from the weight (in_channels = weight.shape[1] * groups) and get the arrays as their parameters.
    import torch
    torch.set_num_threads(1)
    tensors = [torch.from_numpy(np.ascontiguousarray(a)) for a in args]
    name = call.rsplit(".", 1)[1]
    with torch.no_grad():
        if name.endswith("_input"):
            result = function(kwargs.pop("input_size"), tensors[0], tensors[1], **kwargs)
        elif name.endswith("_weight"):
            result = function(tensors[0], kwargs.pop("weight_size"), tensors[1], **kwargs)
        elif name[0].isupper():
            weight = tensors[1]
            groups = kwargs.get("groups", 1)
            module = function(weight.shape[1] * groups if isinstance(groups, int) else weight.shape[1],
                              weight.shape[0], tuple(weight.shape[2:]), bias=len(tensors) > 2,
                              dtype=weight.dtype, **kwargs)
            module.weight.copy_(weight)
            if len(tensors) > 2:
                module.bias.copy_(tensors[2])
            result = module(tensors[0])
        else:
            result = function(*tensors, **kwargs)
    return result.numpy()


def answer(call, args, kwargs_json):
    """The library's answer to call(*args, **kwargs) as a C-contiguous float32 or float64 array."""
    function = _function(call)
    fewest, most = _allowed[call]
    if not fewest <= len(args) <= most:
        takes = f"{fewest}" if fewest == most else f"{fewest} to {most}"
        raise TypeError(f"{call} takes {takes} array arguments; {len(args)} given")
    kwargs = json.loads(kwargs_json)
    if call.startswith("theano."):
        result = _theano(function, call, list(args), kwargs, kwargs_json)
    elif call.startswith("torch."):
        result = _torch(function, call, list(args), kwargs)
    else:
        result = function(*args, **kwargs)
    result = np.ascontiguousarray(np.asarray(result))
    if result.dtype not in (np.float32, np.float64):
        raise TypeError(f"{call} answered an array of dtype {result.dtype}; float32 or float64 was expected")
    return result


def save(path, names, arrays):
    """Writes the arrays under their names to a compressed .npz (numpy's own writer)."""
    np.savez_compressed(path, **dict(zip(names, arrays)))


def load(path, names):
    """The named arrays of a .npz, as stored (no pickles)."""
    with np.load(path, allow_pickle=False) as archive:
        return [archive[name] for name in names]


_ONNX_OPERATORS = ("Conv", "ConvTranspose")


def onnx_problem():
    """None when the onnx package (the reader of the ONNX authors' node tests) imports here, else why not."""
    try:
        importlib.import_module("onnx")
        return None
    except Exception as error:  # any failure to import makes the reader unavailable, by name
        return _import_reason("onnx", error)


def _onnx_tensor(onnx, numpy_helper, files, file, name, max_elements):
    path = files.get(file)
    if path is None:
        raise ValueError(f"{file} is missing (the node has an input or output '{name}')")
    tensor = onnx.TensorProto()
    with open(path, "rb") as handle:
        tensor.ParseFromString(handle.read())
    if tensor.data_location == onnx.TensorProto.EXTERNAL or len(tensor.external_data) > 0:
        raise ValueError(f"{file}: tensor '{tensor.name}' keeps its data in an external file; it is never read")
    if tensor.data_type != onnx.TensorProto.FLOAT:
        types = onnx.TensorProto.DataType
        kind = types.Name(tensor.data_type) if tensor.data_type in types.values() else str(tensor.data_type)
        raise ValueError(f"{file}: tensor '{tensor.name}' is {kind}; only FLOAT (float32) tensors are imported")
    if tensor.name and tensor.name != name:
        raise ValueError(f"{file} holds tensor '{tensor.name}', not the node's '{name}'")
    count = 1
    for extent in tensor.dims:
        if extent < 0:
            raise ValueError(f"{file}: tensor '{name}' has a negative extent in dims {list(tensor.dims)}")
        count *= extent
        if count > max_elements:
            raise ValueError(f"{file}: tensor '{name}' of dims {list(tensor.dims)} has more than {max_elements} "
                             "elements, the case cap (--max-case-bytes)")
    array = numpy_helper.to_array(tensor)  # raises where the data does not fill the dims
    return np.ascontiguousarray(array, dtype=np.float32)


def onnx_node_test(model_path, data_sets, max_elements):
    """One of the ONNX authors' node tests: (op, attributes as JSON, the node's input names,
    [(inputs, output) per data set], onnx's version). Raises ValueError naming what makes it
    something else than one Conv or ConvTranspose node on float32 tensors."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(model_path, load_external_data=False)
    graph = model.graph
    if len(graph.node) != 1:
        raise ValueError(f"the graph has {len(graph.node)} nodes; a node test has one")
    if len(graph.initializer) > 0 or len(graph.sparse_initializer) > 0:
        raise ValueError("the graph holds initializers; a node test takes every array as an input")
    node = graph.node[0]
    if node.domain not in ("", "ai.onnx") or node.op_type not in _ONNX_OPERATORS:
        raise ValueError(f"its node is {node.domain or 'ai.onnx'}.{node.op_type}, not Conv or ConvTranspose")
    inputs = list(node.input)
    if any(not name for name in inputs) or len(node.output) != 1:
        raise ValueError(f"node inputs {inputs} and outputs {list(node.output)}: an empty (optional) name "
                         "or not exactly one output")
    declared = {value.name: value for value in list(graph.input) + list(graph.output)}
    for name in inputs + [node.output[0]]:
        value = declared.get(name)
        if value is None or value.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
            raise ValueError(f"'{name}' is not declared a FLOAT (float32) tensor in the graph")
    attributes = {}
    kinds = onnx.AttributeProto
    for attribute in node.attribute:
        if attribute.ref_attr_name:
            raise ValueError(f"attribute {attribute.name} refers to a function's attribute")
        value = onnx.helper.get_attribute_value(attribute)
        if attribute.type == kinds.STRING:
            try:
                value = value.decode("ascii")
            except UnicodeDecodeError:
                raise ValueError(f"attribute {attribute.name} is not ASCII text") from None
        elif attribute.type == kinds.INTS:
            value = [int(v) for v in value]
        elif attribute.type == kinds.INT:
            value = int(value)
        else:
            raise ValueError(f"attribute {attribute.name} is {kinds.AttributeType.Name(attribute.type)}; "
                             "Conv's and ConvTranspose's are INT, INTS or STRING")
        if attribute.name in attributes:
            raise ValueError(f"attribute {attribute.name} is given twice")
        attributes[attribute.name] = value
    sets = []
    for files in data_sets:
        by_name = {str(path).rsplit("/", 1)[-1]: str(path) for path in files}
        arrays = [_onnx_tensor(onnx, numpy_helper, by_name, f"input_{i}.pb", name, int(max_elements))
                  for i, name in enumerate(inputs)]
        output = _onnx_tensor(onnx, numpy_helper, by_name, "output_0.pb", node.output[0], int(max_elements))
        sets.append((arrays, output))
    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    return node.op_type, json.dumps(attributes), inputs, sets, onnx.__version__, int(opset)


def environment(libraries):
    """Versions of Python and of the libraries named, and the machine, for a suite's manifest."""
    info = {
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "numpy": np.__version__,
        "platform": f"{platform.system()}-{platform.machine()}",
        "platform_detail": platform.platform(),
    }
    blas = getattr(np.__config__, "blas_opt_info", None)
    if isinstance(blas, dict) and blas.get("libraries"):
        info["blas"] = " ".join(dict.fromkeys(blas["libraries"]))
    if "scipy" in libraries:
        import scipy
        info["scipy"] = scipy.__version__
    if "torch" in libraries:
        import torch
        info["torch"] = torch.__version__
        info["torch_threads"] = 1
    if "theano" in libraries:
        import theano
        info["theano"] = theano.__version__
        info["device"] = str(theano.config.device)
        info["floatX"] = str(theano.config.floatX)
        info["blas"] = str(theano.config.blas.ldflags)
        info["cxx"] = str(theano.config.cxx)
    return info

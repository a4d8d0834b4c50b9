using System.Text.Json.Nodes;
using ConvParity.Conventions;
using NUnit.Framework.Constraints;

namespace ConvParity.Tests;

/// <summary>
/// How a call's keyword arguments are read: the documented default when absent, Python's None refused by name,
/// every value of the wrong kind refused by name (unsupported, not silently taken), and every argument nobody read
/// reported. These are ConvParity's own rules, not a library's: no expected value here comes from a library.
/// </summary>
public sealed class KwargsTests
{
    private const string Call = "scipy.signal.convolve";

    private static Kwargs Read(string json) => new(Call, JsonNode.Parse(json)!.AsObject());

    private static IResolveConstraint UnsupportedNaming(string name, string fragment) =>
        Throws
            .TypeOf<UnsupportedCallException>()
            .With.Property(nameof(UnsupportedCallException.Argument))
            .EqualTo(name)
            .And.Property(nameof(UnsupportedCallException.Call))
            .EqualTo(Call)
            .And.Message.Contain(fragment);

    private static IResolveConstraint InvalidNaming(string name, string fragment) =>
        Throws
            .TypeOf<InvalidCallException>()
            .With.Property(nameof(InvalidCallException.Keyword))
            .EqualTo(name)
            .And.Property(nameof(InvalidCallException.Call))
            .EqualTo(Call)
            .And.Message.Contain(fragment);

    [Test]
    public void Has_is_true_only_for_a_value_that_is_not_null()
    {
        var kwargs = Read("""{"mode": "same", "axes": null}""");
        Assert.That(kwargs.Has("mode"), Is.True);
        Assert.That(kwargs.Has("axes"), Is.False, "an explicit null");
        Assert.That(kwargs.Has("method"), Is.False, "absent");
        Assert.That(kwargs.Call, Is.EqualTo(Call));
    }

    [Test]
    public void No_arguments_at_all_read_as_the_defaults()
    {
        var kwargs = new Kwargs(Call, null);
        Assert.That(kwargs.Choice("mode", "full", "full", "same"), Is.EqualTo("full"));
        Assert.That(() => kwargs.RejectUnknown(), Throws.Nothing);
    }

    [Test]
    public void Raw_answers_the_node_or_null()
    {
        var kwargs = Read("""{"mode": "same"}""");
        Assert.That(kwargs.Raw("mode")!.GetValue<string>(), Is.EqualTo("same"));
        Assert.That(kwargs.Raw("method"), Is.Null);
    }

    [Test]
    public void Every_read_marks_the_name_as_known()
    {
        var kwargs = Read(
            """{"a": 1, "b": true, "c": 1.5, "d": "x", "e": [1, 2], "f": [3], "g": 0, "h": "hint", "i": 2}"""
        );
        kwargs.Raw("a");
        kwargs.Bool("b", false);
        kwargs.Number("c", 0);
        kwargs.Choice("d", "x", "x");
        kwargs.Ints("e", 2, 0);
        kwargs.Shape("f");
        kwargs.Int("g", 1);
        kwargs.NotNull("i");
        Assert.That(() => kwargs.RejectUnknown(), UnsupportedNaming("h", "unknown keyword argument"));
        kwargs.Ignore("h", "other");
        Assert.That(() => kwargs.RejectUnknown(), Throws.Nothing);
    }

    [Test]
    public void An_unread_argument_is_reported_with_its_value()
    {
        Assert.That(() => Read("""{"axis": [0, 1]}""").RejectUnknown(), UnsupportedNaming("axis", "(value [0,1])"));
        Assert.That(() => Read("""{"axis": null}""").RejectUnknown(), UnsupportedNaming("axis", "(value null)"));
    }

    [Test]
    public void Python_None_is_refused_by_name_by_every_typed_read()
    {
        var kwargs = Read("""{"x": null}""");
        const string why =
            "null (Python None) is not taken as the default here (the library raises on None, or answers otherwise); "
            + "give a value or leave the argument out";
        Assert.That(() => kwargs.NotNull("x"), InvalidNaming("x", why));
        Assert.That(() => kwargs.Choice("x", "a", "a"), InvalidNaming("x", why));
        Assert.That(() => kwargs.Bool("x", true), InvalidNaming("x", why));
        Assert.That(() => kwargs.Number("x", 1), InvalidNaming("x", why));
        Assert.That(() => kwargs.Int("x", 1), InvalidNaming("x", why));
        Assert.That(() => kwargs.Ints("x", 2, 1), InvalidNaming("x", why));
        Assert.That(kwargs.NotNull("absent"), Is.Null, "an absent argument is not None");
    }

    [Test]
    public void Shape_takes_None_as_absent() => Assert.That(Read("""{"axes": null}""").Shape("axes"), Is.Null);

    [Test]
    public void Choice_takes_only_the_handled_strings()
    {
        Assert.That(Read("""{"mode": "valid"}""").Choice("mode", "full", "full", "valid"), Is.EqualTo("valid"));
        Assert.That(Read("{}").Choice("mode", "full", "full", "valid"), Is.EqualTo("full"));
        Assert.That(
            () => Read("""{"mode": "Valid"}""").Choice("mode", "full", "full", "valid"),
            UnsupportedNaming("mode", "value 'Valid' is not handled (handled: 'full', 'valid')")
        );
        Assert.That(
            () => Read("""{"mode": 1}""").Choice("mode", "full", "full", "valid"),
            UnsupportedNaming("mode", "expected one of 'full', 'valid', got 1")
        );
    }

    [Test]
    public void Bool_takes_only_true_and_false()
    {
        Assert.That(Read("""{"f": true}""").Bool("f", false), Is.True);
        Assert.That(Read("""{"f": false}""").Bool("f", true), Is.False);
        Assert.That(Read("{}").Bool("f", true), Is.True);
        Assert.That(Read("{}").Bool("f", false), Is.False);
        Assert.That(
            () => Read("""{"f": 1}""").Bool("f", false),
            UnsupportedNaming("f", "expected true or false, got 1")
        );
    }

    [Test]
    public void Number_takes_only_numbers()
    {
        Assert.That(Read("""{"cval": -2.5}""").Number("cval", 0), Is.EqualTo(-2.5));
        Assert.That(Read("{}").Number("cval", 7), Is.EqualTo(7));
        Assert.That(
            () => Read("""{"cval": "1"}""").Number("cval", 0),
            UnsupportedNaming("cval", "expected a real number, got \"1\"")
        );
    }

    [TestCase("3", 3)]
    [TestCase("-4", -4)]
    [TestCase("2.0", 2)]
    [TestCase("2147483647", int.MaxValue)]
    [TestCase("-2147483648", int.MinValue)]
    public void Int_takes_whole_numbers_an_int_holds(string json, int expected) =>
        Assert.That(Read($$"""{"axis": {{json}}}""").Int("axis", 0), Is.EqualTo(expected));

    [TestCase("2.5")]
    [TestCase("-0.5")]
    [TestCase("2147483648")]
    [TestCase("-2147483649")]
    [TestCase("\"2\"")]
    [TestCase("true")]
    [TestCase("[2]")]
    public void Int_refuses_anything_else_by_name(string json) =>
        Assert.That(
            () => Read($$"""{"axis": {{json}}}""").Int("axis", 0),
            UnsupportedNaming("axis", $"expected an integer, got {JsonNode.Parse(json)!.ToJsonString()}")
        );

    [Test]
    public void Int_answers_the_default_when_absent() => Assert.That(Read("{}").Int("axis", -1), Is.EqualTo(-1));

    [Test]
    public void Ints_takes_one_integer_per_axis_or_one_for_all()
    {
        Assert.That(Read("""{"origin": [1, -2, 0]}""").Ints("origin", 3, 0), Is.EqualTo(new[] { 1, -2, 0 }));
        Assert.That(Read("""{"origin": -1}""").Ints("origin", 3, 0), Is.EqualTo(new[] { -1, -1, -1 }));
        Assert.That(Read("{}").Ints("origin", 2, 5), Is.EqualTo(new[] { 5, 5 }));
        Assert.That(
            () => Read("""{"origin": [1, 2]}""").Ints("origin", 3, 0),
            InvalidNaming("origin", "[1,2] has 2 entries; 3 expected")
        );
        Assert.That(
            () => Read("""{"origin": [1, 0.5]}""").Ints("origin", 2, 0),
            UnsupportedNaming("origin", "expected an integer, got 0.5")
        );
        Assert.That(
            () => Read("""{"origin": "1"}""").Ints("origin", 2, 0),
            UnsupportedNaming("origin", "expected an integer, got \"1\"")
        );
    }

    [Test]
    public void Shape_takes_a_list_of_integers()
    {
        Assert.That(Read("""{"axes": [0, -1]}""").Shape("axes"), Is.EqualTo(new[] { 0, -1 }));
        Assert.That(Read("""{"axes": []}""").Shape("axes"), Is.Empty);
        Assert.That(Read("{}").Shape("axes"), Is.Null);
        Assert.That(
            () => Read("""{"axes": 1}""").Shape("axes"),
            UnsupportedNaming("axes", "expected a list of integers, got 1")
        );
        Assert.That(
            () => Read("""{"axes": [1, null]}""").Shape("axes"),
            UnsupportedNaming("axes", "expected an integer, got null")
        );
    }

    [Test]
    public void The_refusals_name_the_call_and_the_argument()
    {
        var kwargs = Read("{}");
        var unsupported = kwargs.Unsupported("mode", "why");
        Assert.That(unsupported.Message, Is.EqualTo($"{Call}: argument 'mode': why"));
        var invalid = kwargs.Invalid("origin", "because");
        Assert.That(invalid.Message, Is.EqualTo($"{Call}: argument 'origin': because"));
    }

    [Test]
    public void Numbers_built_in_code_read_like_parsed_ones()
    {
        Assert.That(Kwargs.ValueOf(JsonValue.Create(3)), Is.EqualTo(3.0));
        Assert.That(Kwargs.ValueOf(JsonValue.Create(5_000_000_000L)), Is.EqualTo(5e9));
        Assert.That(Kwargs.ValueOf(JsonValue.Create(1.5f)), Is.EqualTo(1.5));
        Assert.That(Kwargs.ValueOf(JsonNode.Parse("-1e-3")!), Is.EqualTo(-1e-3));
        Assert.That(() => Kwargs.ValueOf(null!), Throws.ArgumentNullException);
    }

    [TestCase(0.1, "0.1")]
    [TestCase(-2.5, "-2.5")]
    public void Format_round_trips(double value, string expected) =>
        Assert.That(Kwargs.Format(value), Is.EqualTo(expected));
}

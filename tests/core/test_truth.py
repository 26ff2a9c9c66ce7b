"""The one three-valued logic (policykit/core/truth.py): Kleene's rules, also over lists that may hold more."""

from __future__ import annotations

from policykit.core.truth import all_true, any_true, both, either, negate, text_equal
from policykit.core.values import Partial, ResourceAttr, Unknown

U = Unknown("not known here")
MORE = Unknown("dynamic blocks over var.x")


def test_kleene_rules() -> None:
    assert both(True, U) is U and both(False, U) is False and both(True, True) is True
    assert either(False, U) is U and either(True, U) is True and either(False, False) is False
    assert negate(U) is U and negate(True) is False
    assert any_true([]) is False and all_true([]) is True
    assert any_true([False], more=MORE) is MORE and any_true([True], more=MORE) is True
    assert all_true([True], more=MORE) is MORE and all_true([False], more=MORE) is False


# Partly known strings (text_equal): the known pieces decide "not equal", the same expression over the same
# unknowns decides "equal", anything else is unknown.
BUCKET = Unknown("aws_s3_bucket.b is only known after apply", ResourceAttr("aws_s3_bucket.b", "id"))
STACK = Unknown("AWS::StackName is only known at deployment", name="AWS::StackName")
REGION = Unknown("AWS::Region is only known at deployment", name="AWS::Region")
UNNAMED = Unknown("Fn::Select over a value only known at deployment")


def test_known_strings_compare_as_strings() -> None:
    assert text_equal("web", "web") is True and text_equal("web", "Web") is False


def test_a_known_suffix_prefix_or_middle_that_cannot_fit_decides_not_equal() -> None:
    origin = Partial((BUCKET, "-origin"))
    assert text_equal(origin, "mybucket.s3.amazonaws.com") is False  # no string ending in -origin
    assert text_equal("mybucket.s3.amazonaws.com", origin) is False
    assert isinstance(text_equal(origin, "assets-origin"), Unknown)  # the bucket may be "assets"
    assert text_equal(Partial(("web-", STACK)), "api-prod") is False  # prefix
    assert text_equal(Partial((STACK, "-web-", REGION)), "prod-api-eu") is False  # the middle is nowhere
    assert isinstance(text_equal(Partial((STACK, "-web-", REGION)), "prod-web-eu"), Unknown)
    # two partly known values: known ends that cannot be the same
    assert text_equal(Partial(("web-", STACK)), Partial(("api-", REGION))) is False
    assert text_equal(Partial((STACK, ".a")), Partial((REGION, ".b"))) is False
    assert isinstance(text_equal(Partial(("web-", STACK)), Partial(("web-", REGION))), Unknown)


def test_the_same_expression_over_the_same_unknowns_is_equal() -> None:
    assert text_equal(Partial((STACK, "-web")), Partial((STACK, "-web"))) is True
    assert text_equal(Partial((STACK, "-web")), Partial((STACK, "-api"))) is False  # same stack, other suffix
    assert text_equal(Partial(("ab", STACK)), Partial(("a", STACK))) is False
    assert text_equal(BUCKET, BUCKET) is True
    # an unnamed unknown may be another value of the same words
    assert isinstance(text_equal(UNNAMED, UNNAMED), Unknown)
    assert isinstance(text_equal(Partial((UNNAMED, "-x")), Partial((UNNAMED, "-x"))), Unknown)
    assert isinstance(text_equal(STACK, REGION), Unknown)


def test_unknown_pieces_may_be_empty() -> None:
    assert isinstance(text_equal(Partial((STACK, "web")), "web"), Unknown)
    assert text_equal(Partial((STACK, "web", REGION)), "we") is False
    assert text_equal(Partial(("a", STACK, "a")), "a") is False  # the two a's cannot be one


def test_comparing_is_linear_in_the_text() -> None:
    text = "a" * 200_000
    many = Partial((*(piece for _ in range(2_000) for piece in (STACK, "a")), STACK, "b", STACK))
    assert text_equal(many, text) is False  # no "b": found by one pass, not by backtracking


# Kleene's rules with Unknown in every position: a later False (or True) still decides, whatever came first.
def test_and_is_false_when_any_is_false_wherever_the_unknown_stands() -> None:
    for values in ([U, False], [False, U], [U, True, False], [U, MORE, False]):
        assert all_true(values) is False, values
        assert all_true(values, more=MORE) is False, values
    assert both(U, False) is False and both(False, U) is False
    assert all_true([U, True]) is U and all_true([True, U]) is U and both(U, True) is U


def test_or_is_true_when_any_is_true_wherever_the_unknown_stands() -> None:
    for values in ([U, True], [True, U], [U, False, True], [U, MORE, True]):
        assert any_true(values) is True, values
        assert any_true(values, more=MORE) is True, values
    assert either(U, True) is True and either(True, U) is True
    assert any_true([U, False]) is U and any_true([False, U]) is U and either(U, False) is U


def test_the_first_unknown_reason_is_kept() -> None:
    assert all_true([U, MORE]) is U and all_true([True, MORE, U]) is MORE
    assert any_true([U, MORE]) is U and any_true([False, MORE, U]) is MORE
    assert all_true([U], more=MORE) is U and any_true([U], more=MORE) is U  # a known item's reason comes first
    assert all_true([True, True]) is True and any_true([False, False]) is False
    assert any_true([], none=U) is U and any_true([False], none=True) is True  # `none` is the answer of no True
    assert negate(False) is True


def test_known_text_against_a_partly_known_value_is_decided_by_where_the_known_pieces_fit() -> None:
    origin = Partial((BUCKET, "-origin"))
    assert isinstance(text_equal("assets-origin", origin), Unknown)  # the bucket may be "assets"
    assert text_equal(Partial(("abc", STACK)), "ab") is False  # too short for the known prefix
    assert text_equal(Partial(("ab", STACK, "bc")), "abc") is False  # the prefix and suffix would overlap
    assert isinstance(text_equal(Partial(("ab", STACK, "c")), "abc"), Unknown)  # they just meet
    assert isinstance(text_equal(Partial(("web-", STACK)), Partial(("web-api-", REGION))), Unknown)
    assert isinstance(text_equal(Partial(("x", STACK)), Partial(("xy", REGION))), Unknown)


def test_where_the_known_pieces_of_a_value_can_spell_a_text() -> None:
    from policykit.core.truth import _fits

    s, r = STACK, REGION
    assert _fits("abc", ("abc", s)) and _fits("abcd", ("a", s)) and not _fits("ab", ("abc", s))
    assert _fits("a", (s, "a", s))  # a middle piece found at the very start
    assert not _fits("ab", ("ab", s, "b", s))  # ... but never inside the known prefix
    assert not _fits("ab", (s, "ab", s, "b", s))  # each piece after the one before it
    assert not _fits("axc", ("a", s, "b", s, "c", s)) and not _fits("axc", (s, "a", s, "b", s, "c"))
    assert not _fits("xbc", (s, "b")) and _fits("xb", (s, "b"))  # a known suffix
    assert not _fits("xb", (s, "b", s, "b"))  # a middle piece is never inside the known suffix
    assert _fits("axb", ("a", s, "b")) and not _fits("abc", ("ab", s, "bc")) and _fits("abc", ("ab", s, "c"))
    assert _fits("aba", (s, "a", s, "b", s))  # the leftmost place of each piece leaves room for the next
    assert _fits("anything", (s, r)) and _fits("", (s,))


def test_pieces_alike_at_both_ends_are_set_aside_first() -> None:
    # the same stack name at the start: what follows it decides
    assert text_equal(Partial((STACK, "-a-", UNNAMED)), Partial((STACK, "-b-", UNNAMED))) is False
    # the same region and ".com" at the end: what precedes them decides
    assert text_equal(Partial((UNNAMED, "-x-", STACK, ".com")), Partial((UNNAMED, "-y-", STACK, ".com"))) is False
    assert text_equal(Partial((STACK, "a", "b")), Partial((STACK, "ab"))) is True  # text pieces join as written


def test_an_undecided_comparison_says_why() -> None:
    both_unknown = Partial((STACK, "-web-", REGION))
    assert text_equal(both_unknown, "prod-web-eu") == Unknown(both_unknown.reason)  # the left value's reason
    assert text_equal("prod-web-eu", both_unknown) == Unknown(both_unknown.reason)  # else the right one's
    assert text_equal(443, STACK) == Unknown(STACK.reason) and text_equal(STACK, 443) == Unknown(STACK.reason)
    assert text_equal(443, "443") == Unknown("a value is not known")  # not text: never decided
    assert text_equal(None, None) == Unknown("a value is not known")

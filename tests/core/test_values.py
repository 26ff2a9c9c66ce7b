"""Values not known before deployment (policykit/core/values.py): how they print, join, match and say why."""

from __future__ import annotations

from policykit.core.values import (
    MaybeMore,
    Partial,
    ResourceAttr,
    Unknown,
    is_known,
    joined,
    make_string,
    reason_of,
    unknown_reason,
)

BUCKET = Unknown("the bucket's name is known at deployment", ref=ResourceAttr("Bucket"), name="BucketName")
REGION = Unknown("the region is a deploy-time choice", name="AWS::Region")
ALB = Unknown("an attribute of a resource", ref=ResourceAttr("Alb", "DNSName"))


def test_a_reference_and_an_unknown_print_what_they_stand_for() -> None:
    assert str(ResourceAttr("Alb", "DNSName")) == "Alb.DNSName"
    assert str(ResourceAttr("Bucket")) == "Bucket"  # a Ref has no attribute
    assert str(REGION) == "<unknown: the region is a deploy-time choice>"
    assert BUCKET.placeholder == "${BucketName}"  # the name first
    assert ALB.placeholder == "${Alb.DNSName}"  # else the reference
    assert Unknown("why").placeholder == "${?}"


def test_a_partial_string_prints_matches_and_says_why() -> None:
    name = Partial((BUCKET, ".s3-website-", REGION, ".amazonaws.com"))
    assert str(name) == "${BucketName}.s3-website-${AWS::Region}.amazonaws.com"
    assert name.refs == (ResourceAttr("Bucket"),)  # the region has no reference
    assert name.reason == "the bucket's name is known at deployment; the region is a deploy-time choice"
    pattern = name.pattern()
    assert pattern.fullmatch("site.s3-website-eu-west-1.amazonaws.com")
    assert pattern.fullmatch(".s3-website-.amazonaws.com")  # an unknown piece may be empty
    assert pattern.fullmatch("a\nb.s3-website-x.amazonaws.com")  # ... or hold any character
    assert not pattern.fullmatch("site.s3-websiteXeu.amazonaws.com")  # the known text is literal, not a regex
    assert not pattern.fullmatch("site.s3-website-eu.amazonaws.com.evil")


def test_make_string_merges_text_and_keeps_the_unknowns_in_place() -> None:
    assert make_string(["a", "b", "c"]) == "abc"
    assert make_string([]) == ""
    assert make_string(["www.", "", BUCKET, ".", "example", ".com"]) == Partial(("www.", BUCKET, ".example.com"))
    assert make_string([BUCKET]) == Partial((BUCKET,))
    assert make_string(["", BUCKET, "", REGION]) == Partial((BUCKET, REGION))  # no empty text between unknowns
    assert make_string([BUCKET, "-", "x"]) == Partial((BUCKET, "-x"))


def test_maybe_more_keeps_the_first_reason_and_joined_gathers_them() -> None:
    more, other = Unknown("a dynamic block"), Unknown("a list parameter")
    items = MaybeMore([1, 2])
    assert items == [1, 2] and items.more is None
    assert items.maybe(None).more is None
    assert items.maybe(more) is items and items.more is more
    assert items.maybe(other).more is more  # the first reason stays
    assert MaybeMore(more=other).more is other and MaybeMore() == []
    assert joined([1], (2, 3)) == [1, 2, 3] and joined([1], (2, 3)).more is None
    both = joined([1], MaybeMore([2], more=more), MaybeMore([3], more=other))
    assert both == [1, 2, 3] and both.more is more
    assert joined().more is None and joined() == []


def test_known_and_why_not() -> None:
    partial = Partial(("a", REGION))
    assert is_known("text") and is_known(0) and is_known(None) and is_known({"a": [1, {"b": "c"}]})
    assert not is_known(REGION) and not is_known(partial)
    assert not is_known({"a": 1, "b": [REGION]}) and not is_known(("x", partial)) and not is_known([1, REGION])
    assert reason_of(REGION, "otherwise") == REGION.reason
    assert reason_of(partial, "otherwise") == REGION.reason
    assert reason_of("text", "otherwise") == "otherwise"
    assert unknown_reason(REGION) == REGION.reason and unknown_reason(partial) == REGION.reason
    assert unknown_reason({"a": 1, "b": {"c": [2, BUCKET]}}) == BUCKET.reason  # found deep inside
    assert unknown_reason(["known", ALB, BUCKET]) == ALB.reason  # the first unknown item's reason
    assert unknown_reason({"a": 1}) == "" and unknown_reason("text") == "" and unknown_reason([1, "a"]) == ""

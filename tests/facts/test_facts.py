"""Every fact of the registry (policykit/facts/__init__.py) has a unit test of its own, in the test module of the
module that defines it (tests/facts/test_<module>.py), so a broken fact fails a fast test that names it."""

from __future__ import annotations

import re

from policykit.facts import FACTS
from tests.helpers import ROOT

# Facts tested only end to end so far (by policy fixtures, tests/live, tests/edge), by module: remove one when its
# unit test is written; the list only shrinks.
TODO = {
    "live": {"dns_status", "dns_problem", "resolves_private_only", "private_unreachable", "addresses",
             "cname_chain", "dns_detail", "tcp_status", "tcp_detail", "dig_command", "connect_command"},
    "live_tls": {"tls_status", "tls_detail", "offered_protocols", "negotiated", "tls_session",
                 "certificate_problems", "certificate_names", "certificate_chain", "served_chain", "trust_reason",
                 "certificate_validity", "certificate_days_left", "missing_issuer", "verify_error",
                 "cloudfront_cannot_use", "cloudfront_may_refuse", "certificate_key_problems", "certificate_key",
                 "key_unusable", "browser_notes", "profile_not_checked", "openssl_command", "openssl_differs"},
    "live_http": {"origin_status", "http_outcome", "http_detail", "read_timeout", "origin_read_timeout",
                  "first_byte_seconds", "read_timeout_exceeded", "first_byte_words", "origin_status_line",
                  "websocket_refused", "websocket_timed_out", "websocket_response", "websocket_problem",
                  "websocket_request", "websocket_command", "curl_command"},
    "function_results": {"failed", "could_not_run", "how_it_failed", "cloudfront_status", "unavailable_reason",
                         "runtime_note", "status_out_of_range", "status_changed", "received_status", "result_size",
                         "size_limit", "over_size_limit", "size_limit_text", "encoding_problem",
                         "no_content_with_body", "uri_without_slash", "uri_and_query_length", "uri_too_long",
                         "querystring_problem", "code_over_limit", "validation_error", "lambda_rule_note",
                         "name_problem", "map_key_case_only", "name_verdict", "disallowed", "read_only",
                         "read_only_change", "read_only_changed", "bad_characters"},
    "function_origins": {"origin_problems", "origin_invalid", "origin_problem_text"},
}


def _untested() -> dict[str, set[str]]:
    """The facts whose function no test of their module's test file names."""
    found: dict[str, set[str]] = {}
    for table in FACTS.values():
        for name in table:
            fact = table[name]
            module, function = fact.__module__.rsplit(".", 1)[1], fact.__name__
            test = ROOT / "tests" / "facts" / f"test_{module}.py"
            text = test.read_text(encoding="utf-8") if test.is_file() else ""
            if not re.search(rf"\b{function}\b", text):
                found.setdefault(module, set()).add(function)
    return found


def test_every_fact_has_a_unit_test_beside_its_module() -> None:
    untested = _untested()
    assert {m: f - TODO.get(m, set()) for m, f in untested.items() if f - TODO.get(m, set())} == {}
    tested_now = {m: f - untested.get(m, set()) for m, f in TODO.items() if f - untested.get(m, set())}
    assert tested_now == {}, "tested now: take them off TODO"

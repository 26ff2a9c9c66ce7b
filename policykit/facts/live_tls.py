"""Facts of a live name's TLS: the CloudFront-like handshake, the served chain judged by CloudFront's profile
(policykit/probes/verify.py), and the `openssl s_client` command that makes the same check.

A step tried and failed is a value the policies judge; a step not run is `Unknown` with the reason.
"""

from __future__ import annotations

import shlex

from policykit.core.origin_tls import cloudfront_ciphers, openssl_groups, openssl_sigalgs, rule
from policykit.core.results import CertInfo, ChainProblem, ChainResult, TlsStatus
from policykit.core.values import Unknown
from policykit.model.live import LiveName

# A certificate as data (evidence for machines, and the JSON of what the probes saw)
CertData = dict[str, str | int | bool | list[str]]


def certificate_data(cert: CertInfo, position: int) -> CertData:
    """A served certificate as data: its position in the chain, names, key, signature, validity and fingerprint."""
    return {"position": position, "subject": cert.subject, "issuer": cert.issuer, "sans": list(cert.sans),
            "common_name": cert.common_name, "names_matched": list(cert.names), "key": cert.key,
            "signature": cert.signature, "not_before": cert.not_before, "not_after": cert.not_after,
            "sha256": cert.sha256, "ca": cert.is_ca}


def _leaf(chain: ChainResult | None) -> CertInfo | None:
    return chain.certificates[0] if chain is not None and chain.certificates else None


def _https(name: LiveName) -> bool:
    return name.endpoint is not None and name.endpoint.scheme == "https"


def tls_status(name: LiveName) -> str | Unknown | None:
    """The CloudFront-like handshake: ok, no-common-protocol, no-common-cipher, timeout, failed (None over HTTP)."""
    if not _https(name):
        return None
    if name.tls is None:
        return Unknown(name.not_probed or "no handshake attempted")
    if name.tls.status in (TlsStatus.CUT, TlsStatus.NOT_OFFERED):
        return Unknown(f"TLS handshake with {name.name}: {name.tls.detail}")
    return str(TlsStatus.FAILED if name.tls.status is TlsStatus.REFUSED else name.tls.status)


def tls_detail(name: LiveName) -> str:
    """Why the handshake failed, and what the server accepts instead."""
    return str(name.tls.detail) if name.tls is not None else ""


def offered_protocols(name: LiveName) -> list[str]:
    """The protocol versions CloudFront offers this origin (OriginSSLProtocols)."""
    return list(name.tls.offered) if name.tls is not None else []


def negotiated(name: LiveName) -> str:
    """Protocol and cipher the CloudFront-like handshake agreed on."""
    if name.tls is None or name.tls.status is not TlsStatus.OK:
        return "(none)"
    return f"{name.tls.protocol} {name.tls.cipher}"


def tls_session(name: LiveName) -> dict[str, str | list[str] | None] | None:
    """Protocol, cipher, curve and the offer, as data (evidence for machines)."""
    if name.tls is None:
        return None
    return {"protocol": name.tls.protocol or None, "cipher": name.tls.cipher or None, "offered": list(name.tls.offered),
            "status": str(name.tls.status), "group": name.tls.group or None,
            "signature_scheme": name.tls.sigalg or None}


def certificate_problems(name: LiveName) -> list[str] | Unknown:
    """What is wrong with the served chain: expired, not-yet-valid, self-signed, untrusted-root,
    incomplete-chain, wrong-order, name-mismatch, expiring-soon, untrusted."""
    if not _https(name):
        return []
    if name.chain is None:
        return Unknown(name.not_probed or "no certificate received")
    if not name.chain.certificates:
        return Unknown(name.chain.detail or "no certificate received")
    return [str(problem) for problem in name.chain.problems]


def _breaches(name: LiveName, verdict: str) -> list[str] | Unknown:
    if not _https(name):
        return []
    if name.chain is None or not name.chain.certificates:
        return Unknown(name.not_probed or "no certificate received")
    return [f"{b.words} ({b.rule.reference})" for b in name.chain.breaches if b.verdict == verdict]


def cloudfront_cannot_use(name: LiveName) -> list[str] | Unknown:
    """What of the served certificate CloudFront cannot use: a key type its signature schemes exclude (Ed25519,
    Ed448), RSA over 4096 bits, ECDSA off P-256/P-384, a signature outside its schemes (MD5), each with its
    facts reference."""
    return _breaches(name, "error")


def cloudfront_may_refuse(name: LiveName) -> list[str] | Unknown:
    """What of the served certificate CloudFront may refuse, not confirmed (a SHA-1 or RSA-PSS signature)."""
    return _breaches(name, "warning")


def key_unusable(name: LiveName) -> bool:
    """Does the served certificate hold what CloudFront cannot use (false when none was received)?"""
    return name.chain is not None and any(b.verdict == "error" for b in name.chain.breaches)


def certificate_key_problems(name: LiveName) -> str:
    """The key and signature findings in words, errors first."""
    found = [*_listed(cloudfront_cannot_use(name)), *_listed(cloudfront_may_refuse(name))]
    return "; ".join(found) or "(none)"


def _listed(value: list[str] | Unknown) -> list[str]:
    return value if isinstance(value, list) else []


def certificate_names(name: LiveName) -> list[str]:
    """The names of the served leaf certificate CloudFront matches (the SAN's DNS names, or the CN without them)."""
    leaf = _leaf(name.chain)
    return list(leaf.names) if leaf else []


def certificate_key(name: LiveName) -> str:
    """The served leaf's key (RSA 2048, ECDSA P-256, Ed25519) and its signature algorithm."""
    leaf = _leaf(name.chain)
    return f"{leaf.key} key, signed with {leaf.signature}" if leaf else ""


def certificate_chain(name: LiveName) -> str:
    """The served chain, in order: subject <- issuer."""
    if name.chain is None:
        return ""
    return "; ".join(f"[{i}] {c.subject} (issuer {c.issuer})" for i, c in enumerate(name.chain.certificates))


def served_chain(name: LiveName) -> list[CertData]:
    """The served chain as data: position, subject, issuer, SANs, key, signature, validity, sha256, ca."""
    if name.chain is None:
        return []
    return [certificate_data(c, i) for i, c in enumerate(name.chain.certificates)]


def trust_reason(name: LiveName) -> str:
    """Why the served chain does not verify to a root CloudFront trusts, in words."""
    return str(name.chain.trust_reason) if name.chain is not None and name.chain.trust_reason else "(none)"


def certificate_validity(name: LiveName) -> str:
    """notBefore .. notAfter of the served leaf certificate."""
    leaf = _leaf(name.chain)
    return f"{leaf.not_before} .. {leaf.not_after}" if leaf else ""


def certificate_days_left(name: LiveName) -> int | Unknown:
    """Days until the served leaf certificate expires."""
    if name.chain is None or name.chain.days_left is None:
        return Unknown(name.not_probed or "no certificate received")
    return int(name.chain.days_left)


def missing_issuer(name: LiveName) -> str:
    """The issuer the served chain stops at: neither sent by the origin nor a trusted root."""
    return str(name.chain.missing_issuer) if name.chain is not None and name.chain.missing_issuer else "(none)"


def verify_error(name: LiveName) -> str:
    """policykit's verifier's rejection of the path (no AIA, the configured roots), as `rule: reason`."""
    return str(name.chain.verify_error) if name.chain is not None and name.chain.verify_error else "(none)"


def browser_notes(name: LiveName) -> list[str]:
    """Rules browsers or strict libraries apply and CloudFront's documented ones do not (notes, never verdicts)."""
    return list(name.chain.notes) if name.chain is not None else []


def profile_not_checked(name: LiveName) -> list[str]:
    """The rules of CloudFront's profile this machine's handshake could not apply, with their facts references."""
    if name.tls is None:
        return []
    return [f"{rule(r).says} ({rule(r).reference})" for r in name.tls.not_checked]


def openssl_command(name: LiveName) -> str:
    """The `openssl s_client` command that makes the same handshake (CloudFront's versions, suites, signature
    schemes and curves) and checks the same name against the same roots."""
    endpoint = name.endpoint
    host = endpoint.address or endpoint.host if endpoint is not None else name.name
    port = endpoint.port if endpoint is not None else 443
    offered = offered_protocols(name) or ["TLSv1.2"]
    versions = "-tls1_2" if offered == ["TLSv1.2"] else f"-min_protocol {offered[0]} -max_protocol {offered[-1]}"
    trust = getattr(endpoint, "trust_store", "") if endpoint is not None else ""
    ciphers = ":".join(cloudfront_ciphers()) + ":@SECLEVEL=0"
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return (f"openssl s_client -connect {shlex.quote(target)} -servername {shlex.quote(name.name)}"
            f" -verify_hostname {shlex.quote(name.name)}{f' -CAfile {shlex.quote(trust)}' if trust else ''}"
            f" {versions} -cipher {shlex.quote(ciphers)} -sigalgs {shlex.quote(openssl_sigalgs())}"
            f" -groups {openssl_groups()} -showcerts </dev/null")


def openssl_differs(name: LiveName) -> str:
    """Where the printed openssl command's verdict differs from CloudFront's, and why ("(none)" when they agree)."""
    if name.chain is None or not name.chain.certificates or (name.tls and name.tls.status is not TlsStatus.OK):
        return "(none)"
    reasons = []
    if ChainProblem.WRONG_ORDER in name.chain.problems:
        reasons.append("openssl reorders the chain it receives and may verify it (Verify return code: 0); CloudFront "
                       f"refuses a chain sent in the wrong order ({rule('chain_order').reference})")
    for breach in name.chain.breaches:
        if breach.rule.id in ("rsa_max_bits", "certificate_signature", "certificate_signature_sha1"):
            reasons.append(f"openssl (at @SECLEVEL=0) accepts what CloudFront's profile does not: {breach.words} "
                           f"({breach.rule.reference})")
    if any("extended key usage" in note for note in name.chain.notes):
        reasons.append("openssl refuses a certificate whose extended key usage lacks TLS server authentication "
                       "(unsupported certificate purpose); CloudFront's documented rules do not name it")
    return "; ".join(reasons) or "(none)"

"""What the AWS tests share: a socket spy that refuses any address outside loopback, a loopback stub with recorded
responses (forwarding the rest to moto), and builders of the resources a test puts in moto."""

from __future__ import annotations

import http.client
import io
import ipaddress
import json
import re
import socket
import threading
import urllib.parse
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from tests.live.live_servers import issue

RECORDED = Path(__file__).resolve().parent / "recorded"
ACCOUNT = "123456789012"


# The socket spy -------------------------------------------------------------------------------------------------

def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@dataclass
class SocketSpy:
    """Refuses (and records) every connection, datagram and name lookup that is not for a loopback address."""

    refused: list[str] = field(default_factory=list)

    @contextmanager
    def watching(self) -> Iterator[SocketSpy]:
        originals = (socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto, socket.getaddrinfo)
        spy = self

        def check(what: str, address: object) -> None:
            host = address[0] if isinstance(address, tuple) and address else address
            if isinstance(host, str) and host.startswith("/"):
                return  # a Unix socket never leaves the machine
            if not _loopback(host):
                spy.refused.append(f"{what} {address!r}")
                raise OSError(f"the socket spy refuses {what} to {address!r}: tests stay on loopback")

        def connect(sock: socket.socket, address: Any) -> None:
            check("connect", address)
            originals[0](sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            check("connect", address)
            return originals[1](sock, address)

        def sendto(sock: socket.socket, data: Any, *args: Any) -> int:
            check("sendto", args[-1])
            return originals[2](sock, data, *args)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            check("lookup", host)
            return originals[3](host, *args, **kwargs)

        socket.socket.connect, socket.socket.connect_ex = connect, connect_ex  # type: ignore[method-assign]
        socket.socket.sendto, socket.getaddrinfo = sendto, getaddrinfo  # type: ignore[method-assign,assignment]
        try:
            yield self
        finally:
            (socket.socket.connect, socket.socket.connect_ex,  # type: ignore[method-assign]
             socket.socket.sendto, socket.getaddrinfo) = originals  # type: ignore[method-assign,assignment]


# The stub --------------------------------------------------------------------------------------------------------

_SCOPE = re.compile(r"Credential=[^/]+/[0-9]+/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
_XMLNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]


def denied(service: str, operation: str) -> Reply:
    """How each service says AccessDenied (EC2: UnauthorizedOperation), in its own protocol."""
    message = f"User: arn:aws:iam::{ACCOUNT}:user/reader is not authorized to perform: {service}:{operation}"
    if service in ("acm",):
        body = json.dumps({"__type": "AccessDeniedException", "message": message})
        return Reply(400, body.encode(), {"Content-Type": "application/x-amz-json-1.1"})
    if service == "lambda":
        return Reply(403, json.dumps({"Message": message}).encode(),
                     {"Content-Type": "application/json", "x-amzn-ErrorType": "AccessDeniedException"})
    if service == "ec2":
        body = (f"<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>{message}</Message></Error>"
                "</Errors><RequestID>stub</RequestID></Response>")
        return Reply(403, body.encode(), {"Content-Type": "text/xml"})
    namespace = f' xmlns="{_XMLNS}"' if service == "cloudfront" else ""
    body = (f"<ErrorResponse{namespace}><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{message}"
            "</Message></Error><RequestId>stub</RequestId></ErrorResponse>")
    return Reply(403, body.encode(), {"Content-Type": "text/xml"})


def throttled(service: str) -> Reply:
    """What a service answers when calls come too fast (the query protocol's XML)."""
    body = ("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
            "</Error><RequestId>stub</RequestId></ErrorResponse>")
    return Reply(400, body.encode(), {"Content-Type": "text/xml"})


def recorded(name: str, content_type: str = "text/xml", **values: str) -> Reply:
    """A recorded response of tests/aws/recorded, its `{placeholders}` filled in."""
    text = (RECORDED / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    headers = {"Content-Type": content_type}
    if content_type == "text/xml":
        headers["ETag"] = "E2RECORDED"
    return Reply(200, text.encode(), headers)


class Stub:
    """A loopback AWS endpoint: recorded replies by (service, operation), the rest forwarded to moto.

    An operation is the query Action (elbv2, ec2, iam), the JSON target (acm), or `METHOD /path` (CloudFront,
    Lambda), the path decoded."""

    def __init__(self, moto_url: str) -> None:
        self.moto = urllib.parse.urlsplit(moto_url)
        self.replies: dict[tuple[str, str], Reply] = {}
        self.files: dict[str, bytes] = {}
        self.times: dict[tuple[str, str], int] = {}
        self.asked: list[tuple[str, str]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub._handle(self, body)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def on(self, service: str, operation: str, reply: Reply, times: int | None = None) -> None:
        """Answer `reply` to the operation (only its first `times` calls, then moto answers)."""
        self.replies[(service, operation)] = reply
        if times is not None:
            self.times[(service, operation)] = times

    def deny(self, service: str, operation: str) -> None:
        self.on(service, operation, denied(service, operation))

    def serve(self, path: str, data: bytes) -> str:
        """Serve `data` at `path` (a code package's location); its URL."""
        self.files[path] = data
        return self.url + path

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        path = urllib.parse.urlsplit(handler.path).path
        if path in self.files:
            self.asked.append(("file", path))
            self._send(handler, Reply(200, self.files[path], {"Content-Type": "application/zip"}))
            return
        scope = _SCOPE.search(handler.headers.get("Authorization", ""))
        service = scope.group(2) if scope else ""
        target = handler.headers.get("X-Amz-Target", "")
        action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0] \
            if "x-www-form-urlencoded" in handler.headers.get("Content-Type", "") else ""
        operation = target.rsplit(".", 1)[-1] if target else action or \
            f"{handler.command} {urllib.parse.unquote(path)}"
        self.asked.append((service, operation))
        reply = self.replies.get((service, operation))
        left = self.times.get((service, operation))
        if left is not None:
            self.times[(service, operation)] = left - 1
            reply = reply if left > 0 else None
        self._send(handler, reply if reply is not None else self._forward(handler, body))

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> Reply:
        connection = http.client.HTTPConnection(self.moto.hostname or "127.0.0.1", self.moto.port, timeout=30)
        try:
            connection.request(handler.command, handler.path, body, dict(handler.headers.items()))
            response = connection.getresponse()
            headers = {k: v for k, v in response.getheaders()
                       if k.lower() not in ("transfer-encoding", "connection", "content-length")}
            return Reply(response.status, response.read(), headers)
        finally:
            connection.close()

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        handler.send_response(reply.status)
        for key, value in reply.headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(reply.body)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# What a test puts in moto ------------------------------------------------------------------------------------------

Client = Any  # a boto3 client: boto3 ships no types


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@dataclass
class Account:
    """boto3 clients of the local AWS (moto, or the stub for the services it is set up for)."""

    client: Callable[..., Client]

    def certificate(self, *names: str, region: str = "us-east-1") -> str:
        acm = self.client("acm", region_name=region)
        return str(acm.request_certificate(DomainName=names[0], SubjectAlternativeNames=list(names))["CertificateArn"])

    def balancer(self, name: str, *, scheme: str = "internet-facing", cidr: str = "0.0.0.0/0", port: int = 443,
                 listeners: tuple[tuple[str, int, str | None, str | None], ...] = (),
                 region: str = "eu-west-1") -> tuple[str, str, str]:
        """An Application Load Balancer, its security group admitting `cidr` on `port`, its listeners
        (protocol, port, certificate ARN, SslPolicy): (ARN, DNS name, security group id)."""
        ec2 = self.client("ec2", region_name=region)
        elb = self.client("elbv2", region_name=region)
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        found = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
        subnets = [s["SubnetId"] for s in found]
        group = ec2.create_security_group(GroupName=f"{name}-sg", Description=name, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": cidr}]}])
        balancer = elb.create_load_balancer(Name=name, Subnets=subnets[:2], SecurityGroups=[group],
                                            Scheme=scheme)["LoadBalancers"][0]
        for protocol, listener_port, certificate, policy in listeners:
            extra: dict[str, Any] = {}
            if certificate:
                extra["Certificates"] = [{"CertificateArn": certificate}]
            if policy:
                extra["SslPolicy"] = policy
            elb.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol=protocol, Port=listener_port,
                                DefaultActions=[{"Type": "fixed-response",
                                                 "FixedResponseConfig": {"StatusCode": "200"}}], **extra)
        return balancer["LoadBalancerArn"], balancer["DNSName"], group

    def distribution(self, origins: list[dict[str, Any]], *, aliases: tuple[str, ...] = (),
                     certificate: str | None = None, behaviors: list[dict[str, Any]] = (),  # type: ignore[assignment]
                     default: dict[str, Any] | None = None) -> str:
        """A distribution in moto (which keeps no function associations nor VPC origins); its id."""
        config: dict[str, Any] = {
            "CallerReference": f"ref-{len(origins)}-{'-'.join(aliases)}-{id(origins)}", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": len(origins), "Items": origins},
            "DefaultCacheBehavior": default or behavior(origins[0]["Id"]),
            "CacheBehaviors": {"Quantity": len(behaviors), "Items": list(behaviors)},
            "ViewerCertificate": {"CloudFrontDefaultCertificate": True} if certificate is None else {
                "CloudFrontDefaultCertificate": False, "ACMCertificateArn": certificate,
                "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}}
        if aliases:
            config["Aliases"] = {"Quantity": len(aliases), "Items": list(aliases)}
        cloudfront = self.client("cloudfront")
        return str(cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"])


def custom_origin(origin_id: str, domain: str, policy: str = "https-only") -> dict[str, Any]:
    return {"Id": origin_id, "DomainName": domain, "CustomOriginConfig": {
        "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy,
        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}


CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # Managed-AllViewer (forwards Host)


def behavior(target: str, pattern: str | None = None, request_policy: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"TargetOriginId": target, "ViewerProtocolPolicy": "redirect-to-https",
                           "CachePolicyId": CACHING_DISABLED}
    if pattern is not None:
        out["PathPattern"] = pattern
    if request_policy is not None:
        out["OriginRequestPolicyId"] = request_policy
    return out


# The accounts the tests read ---------------------------------------------------------------------------------------

TLS13_ONLY = "ELBSecurityPolicy-TLS13-1-3-2021-06"


def broken_account(aws: Account) -> str:
    """A distribution with what the API accepts and CloudFront answers with 502: HTTPS to an S3 website endpoint,
    an alias its ACM certificate does not cover, an internal load balancer with no listener for the origin port,
    a load balancer whose listener certificate misses an alias it is sent (Host forwarded) and whose security policy
    CloudFront cannot speak."""
    viewer = aws.certificate("www.example.com")
    _, app, _ = aws.balancer("app", scheme="internal", cidr="10.0.0.0/8", listeners=(("HTTP", 80, None, None),))
    web_certificate = aws.certificate("www.example.com", region="eu-west-1")
    _, web, _ = aws.balancer("web", listeners=(("HTTPS", 443, web_certificate, TLS13_ONLY),))
    return aws.distribution(
        [custom_origin("site", "site-bucket.s3-website-eu-west-1.amazonaws.com"), custom_origin("app", app),
         custom_origin("web", web)],
        aliases=("www.example.com", "api.example.com"), certificate=viewer,
        behaviors=[behavior("app", "/app/*"), behavior("web", "/web/*", request_policy=ALL_VIEWER)])


def clean_distribution(aws: Account) -> str:
    return aws.distribution([custom_origin("site", "clean-bucket.s3-website-eu-west-1.amazonaws.com", "http-only")])


DISTRIBUTION = "E2EDGERECORDED"
REQUEST_POLICY = "0c1f1c0e-5b8a-4a3e-9f52-3f2e1d0c9b8a"
CACHE_POLICY = "7a5b8e21-0d6c-4f1e-a3b2-9c8d7e6f5a41"
EDGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:edge-auth:$LATEST"
# GetFunction of that version, as the stub sees it: the function's ARN in the path, the version as the Qualifier
GET_EDGE_FUNCTION = "GET /2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:edge-auth"
CODE = {"index.py": (
    "def handler(event, context):\n"
    "    request = event['Records'][0]['cf']['request']\n"
    "    request['headers']['x-cache'] = [{'key': 'X-Cache', 'value': 'Hit'}]  # CloudFront refuses it: 502\n"
    "    return request\n")}
CLOUDFRONT_FUNCTION = b"function handler(event) {\n    return event.response;\n}\n"


def recorded_account(aws: Account, stub: Stub, package: bool = False) -> None:
    """The recorded distribution and what it names: the distribution, its origin request policy and VPC origin in
    the stub (moto keeps none of them); the viewer certificate, the function's configuration, its role, the
    CloudFront Function and the load balancer in moto. With `package`, the stub answers GetFunction with the same
    configuration and a code package on loopback (moto's code location is not)."""
    iam = aws.client("iam")
    viewer = issue("www.example.com", sans=("www.example.com",))
    key = viewer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    uploaded = iam.upload_server_certificate(ServerCertificateName="www", CertificateBody=viewer.pem().decode(),
                                             PrivateKey=key.decode())
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}
    role = iam.create_role(RoleName="edge-auth-role", Path="/service-role/",
                           AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    aws.client("lambda").create_function(
        FunctionName="edge-auth", Runtime="python3.12", Role=role, Handler="index.handler", MemorySize=512,
        Timeout=10, Code={"ZipFile": zipped(CODE)}, Environment={"Variables": {"STAGE": "prod"}})
    aws.client("cloudfront").create_function(
        Name="add-headers", FunctionConfig={"Comment": "", "Runtime": "cloudfront-js-2.0"},
        FunctionCode=CLOUDFRONT_FUNCTION)
    balancer, _, _ = aws.balancer("app", scheme="internal", cidr="10.0.0.0/8", listeners=(("HTTP", 80, None, None),))
    certificate_id = uploaded["ServerCertificateMetadata"]["ServerCertificateId"]
    stub.on("cloudfront", f"GET /2020-05-31/distribution/{DISTRIBUTION}", recorded(
        "get-distribution-edge.xml", request_policy=REQUEST_POLICY, cache_policy=CACHE_POLICY,
        iam_certificate_id=certificate_id))
    stub.on("cloudfront", f"GET /2020-05-31/cache-policy/{CACHE_POLICY}", recorded(
        "get-cache-policy.xml", cache_policy=CACHE_POLICY))
    stub.on("cloudfront", f"GET /2020-05-31/origin-request-policy/{REQUEST_POLICY}", recorded(
        "get-origin-request-policy-host.xml", request_policy=REQUEST_POLICY))
    stub.on("cloudfront", "GET /2020-05-31/vpc-origin/vo_recorded", recorded(
        "get-vpc-origin.xml", balancer_arn=balancer))
    if package:
        location = stub.serve("/code/edge-auth.zip", zipped(CODE))
        stub.on("lambda", GET_EDGE_FUNCTION, recorded("get-function-edge-auth.json", "application/json",
                                                      code_location=location))

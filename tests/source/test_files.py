"""Reading inputs (policykit/source/files.py): a FIFO or pipe named on the command line is read once, as given."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from tests.helpers import RunCli
from tests.source.helpers import BROKEN, scanned_files


def test_a_fifo_named_on_the_command_line_is_read(run_cli: RunCli, fifo: Path) -> None:
    # `policykit scan <(terraform show -json plan)`: the shell names a pipe
    writer = threading.Thread(target=fifo.write_bytes, args=(BROKEN.read_bytes(),), daemon=True)
    writer.start()
    files, _ = scanned_files(run_cli, fifo)
    writer.join(5)
    assert files == {str(fifo): 1}


def test_a_plan_through_a_pipe_is_read_once_as_json(run_cli: RunCli, fifo: Path) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
        {"address": "aws_cloudfront_distribution.cdn", "mode": "managed", "type": "aws_cloudfront_distribution",
         "name": "cdn", "values": {"enabled": True, "origin": [
             {"origin_id": "s", "domain_name": "b.s3-website-us-east-1.amazonaws.com",
              "custom_origin_config": [{"http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
                                        "origin_ssl_protocols": ["TLSv1.2"]}]}],
             "default_cache_behavior": [{"target_origin_id": "s", "viewer_protocol_policy": "redirect-to-https",
                                         "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]}]}}]}}}
    writer = threading.Thread(target=fifo.write_text, args=(json.dumps(plan),), daemon=True)
    writer.start()
    code, out, err = run_cli("scan", "--format", "json", str(fifo))
    writer.join(5)
    assert code == 1, err
    assert "PK101" in {f["policy_id"] for f in json.loads(out)["findings"]}

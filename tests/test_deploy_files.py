"""The production files in ``deploy/`` say what the code accepts: the app process starts as the
local runner and the tests start it, the scheduled jobs are commands the CLI knows, the same
in the systemd units and the cron lines, and the nginx configuration is complete."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from curation.cli import build_parser
from deploy.replicas import SITE_TEMPLATE, nginx_site, streamlit_command
from workbench.errors import UserError

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
JOBS = ("refresh", "digest", "alerts")


def _exec_start(unit: str) -> list[str]:
    line = re.search(r"^ExecStart=(.+)$", (DEPLOY / "systemd" / unit).read_text(), re.MULTILINE).group(1)
    return shlex.split(line)


def test_the_app_unit_starts_a_process_as_the_runner_does() -> None:
    argv = _exec_start("atelier@.service")
    assert argv[0] == "/srv/atelier/.venv/bin/python"
    assert [a.replace("%i", "8501") for a in argv[1:]] == streamlit_command(8501)[1:]


@pytest.mark.parametrize("job", JOBS)
def test_each_scheduled_job_is_a_command_the_cli_knows_and_cron_runs_it_too(job: str) -> None:
    argv = _exec_start(f"atelier-{job}.service")
    assert argv[:3] == ["/srv/atelier/.venv/bin/python", "-m", "curation"]
    args = build_parser().parse_args(argv[3:])
    assert args.command == job
    cron = (DEPLOY / "cron" / "atelier").read_text()
    assert ".venv/bin/python -m curation " + shlex.join(argv[3:]) + " >>" in cron
    assert (DEPLOY / "systemd" / f"atelier-{job}.timer").read_text().count("OnCalendar=") == 1


def test_the_nginx_configuration_has_every_placeholder_filled() -> None:
    site = nginx_site(["127.0.0.1:8501", "127.0.0.1:8502"], "80", "/var/log/nginx/atelier.log")
    assert "${ATELIER_" not in site
    assert "server 127.0.0.1:8501 " in site and "server 127.0.0.1:8502 " in site
    assert "listen 80;" in site and "$request_id" in site and "$http_upgrade" in site
    assert len(re.findall(r"\$\{ATELIER_\w+\}", SITE_TEMPLATE.read_text())) == 3
    with pytest.raises(UserError):
        nginx_site([], "80")

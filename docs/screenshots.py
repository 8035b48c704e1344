"""Retake the screenshots under docs/img from the demo, as a new user sees it.

    .venv/bin/python docs/screenshots.py [--only NAME] [--port 8390]

Loads the demo into a temporary data folder (SQLite, `sinergi migrate` and `sinergi demo`, dated
as the demo is on the day it runs), starts `sinergi serve`, signs in as demo.admin in Chromium
(Debian's `chromium`, or CHROMIUM=/path) and photographs each page of SHOTS at 1366 px wide in the
language its name ends with (the interface follows the account's saved language, switched with
the page's own language form). The sign-in page is taken signed out. Nothing is kept but the PNGs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "docs" / "img"

# name (file under docs/img, without .png), language, path, full page?
SHOTS = [
    ("dashboard-vi", "vi", "/", True),
    ("dashboard-id", "id", "/", True),
    ("dashboard-en", "en", "/", True),
    ("enterprise-list-vi", "vi", "/registry/enterprises/", False),
    ("api-browsable", "vi", "/api/enterprises/", False),
    ("program-overview", "en", "/programs/1/", True),
]
# name, language, the park's short name: the map of one park, its enterprises as dots.
PARK_MAPS = [("dashboard-park-map-en", "en", "KCN Tằng Loỏng")]


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "sinergi"), *args], env=env, cwd=ROOT, check=True)


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="Only the shots whose name contains this text.")
    parser.add_argument("--port", type=int, default=8390)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="sinergi-screenshots-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SINERGI_DATA_DIR=str(work), SINERGI_DEBUG="false", SINERGI_LANGUAGE="vi")
    server = None
    try:
        _run(env, "migrate", "--no-input", "-v0")
        _run(env, "demo")
        _run(env, "collectstatic", "--no-input", "-v0")
        base = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(
            [str(BIN / "sinergi"), "serve", "--host", "127.0.0.1", "--port", str(args.port)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait(base + "/healthz")
        shots = [s for s in SHOTS if not args.only or args.only in s[0]]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM") or shutil.which("chromium")
            )
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            if not args.only or args.only in "sign-in-demo-accounts":
                page.goto(base + "/accounts/login/")
                page.screenshot(path=str(OUT / "sign-in-demo-accounts.png"))
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", "demo.admin")
            page.fill("#id_password", "sinergi-demo")
            page.press("#id_password", "Enter")
            page.wait_for_load_state("networkidle")
            for name, language, path, full_page in shots:
                page.goto(base + "/")
                switch = page.locator("#language-select")
                if switch.input_value() != language:
                    with page.expect_navigation():  # the form submits itself on change
                        switch.select_option(language)
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
                print(f"docs/img/{name}.png")
            for name, language, park in PARK_MAPS:
                if args.only and args.only not in name:
                    continue
                # The park's own map (its enterprises as dots), reached as a reader does: the
                # park's link in the province's table of zones side by side.
                page.goto(base + "/")
                switch = page.locator("#language-select")
                if switch.input_value() != language:
                    with page.expect_navigation():
                        switch.select_option(language)
                page.locator("table[data-compared-zones]").get_by_role("link", name=park).click()
                page.wait_for_load_state("networkidle")
                page.locator("section.dash-map").screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/img/{name}.png")
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

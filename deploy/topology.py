"""Sinergi's production topology on one machine, on loopback, and its check.

    .venv/bin/python deploy/topology.py up    [--processes 2] [--workers 2]
    .venv/bin/python deploy/topology.py check
    .venv/bin/python deploy/topology.py down
    .venv/bin/python deploy/topology.py run   [--processes 2] [--workers 2]   # up, check, down

`up` brings up, on PostgreSQL (DATABASE_URL, required):
  - a self-signed certificate for localhost / 127.0.0.1 (openssl);
  - N application processes, `sinergi serve` (waitress) on 127.0.0.1:8151… with
    SINERGI_HTTPS=true, SINERGI_TRUSTED_PROXIES=1, SINERGI_PROXY_ADDRESS=127.0.0.1;
  - M background workers, `sinergi worker`;
  - Debian's nginx terminating TLS on 127.0.0.1:8443 (HSTS comes from Sinergi), redirecting
    plain HTTP on 127.0.0.1:8480, serving /static/ from the collected files with far-future
    caching headers and pre-compressed copies, compressing pages, proxying the rest to the app
    processes (X-Forwarded-For / -Proto, the next process when one is down) and answering its
    health check at /healthz from the app.
Everything (configuration, certificate, logs, process ids, data folder) lives in the work
folder (--workdir, default ./data/topology). `check` asserts what docs/deployment.md promises and
exits non-zero on the first failure; `down` stops what `up` started.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
HTTPS_PORT = 8443
HTTP_PORT = 8480
FIRST_APP_PORT = 8151
CHECK_USER = "demo.editor"
CHECK_PASSWORD = "sinergi-demo"  # the demo's sign-ins (sinergi demo)

NGINX_CONF = """\
{user}
worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/logs/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {work}/logs/nginx-access.log;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    sendfile on;
    server_tokens off;

    # Pages (text/html is always included), API answers, scripts and styles, compressed.
    gzip on;
    gzip_proxied any;
    gzip_vary on;
    gzip_min_length 512;
    gzip_types text/css application/javascript application/json text/plain image/svg+xml
               text/csv application/xml;

    upstream sinergi {{
{servers}
        keepalive 16;
    }}

    server {{
        listen {host}:{https_port} ssl http2;
        server_name localhost;
        ssl_certificate     {work}/tls/sinergi.crt;
        ssl_certificate_key {work}/tls/sinergi.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 25m;

        location /static/ {{
            alias {static}/;
            gzip_static on;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}

        location = /healthz {{
            proxy_pass http://sinergi;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            access_log off;
        }}

        location / {{
            proxy_pass http://sinergi;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_next_upstream error timeout;
            proxy_read_timeout 120s;
        }}
    }}

    server {{
        listen {host}:{http_port};
        server_name localhost;
        return 301 https://$host:{https_port}$request_uri;
    }}
}}
"""


def environment(work: Path) -> dict[str, str]:
    """The production settings every process of the topology runs with."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database.")
    data = work / "data"
    return {
        **os.environ,
        "SINERGI_DATA_DIR": str(data),
        "SINERGI_DEBUG": "false",
        "SINERGI_HTTPS": "true",
        "SINERGI_TRUSTED_PROXIES": "1",
        "SINERGI_PROXY_ADDRESS": HOST,
        "SINERGI_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SINERGI_CSRF_TRUSTED_ORIGINS": f"https://localhost:{HTTPS_PORT}",
        "SINERGI_BASE_URL": f"https://localhost:{HTTPS_PORT}",
        "SINERGI_SECRET_KEY_FILE": str(work / "secret_key"),
    }


def sinergi(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "sinergi"), *args], env=env, check=True, cwd=ROOT)


def wait_for(url_check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if url_check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{what} did not come up within {seconds:g} s.")


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    connection.request("GET", "/healthz")
    return connection.getresponse().status == 200


def up(work: Path, processes: int, workers: int) -> None:
    if (work / "pids.json").exists():
        raise SystemExit(f"Already up ({work}/pids.json); run `down` first.")
    for folder in ("logs", "tls", "nginx-tmp", "data"):
        (work / folder).mkdir(parents=True, exist_ok=True)
    if not (work / "secret_key").exists():
        descriptor = os.open(work / "secret_key", os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(os.urandom(48).hex())
    env = environment(work)

    # 1. The database, the static files and the demo's sign-ins.
    sinergi(env, "migrate", "--no-input", "-v0")
    sinergi(env, "collectstatic", "--no-input", "-v0")
    # The demo's sign-ins (and, on an empty database, its province) unless they exist already.
    has_users = subprocess.run(
        [str(BIN / "sinergi"), "shell", "-c",
         f"from sinergi.accounts.models import User; "
         f"print(User.objects.filter(username='{CHECK_USER}').exists())"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip().endswith("True")  # fmt: skip
    if not has_users:
        sinergi(env, "demo", "-v0")
    sinergi(env, "check", "--deploy", "--fail-level", "WARNING")

    # 2. A self-signed certificate for the names the check uses.
    certificate, key = work / "tls/sinergi.crt", work / "tls/sinergi.key"
    if not certificate.exists():
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "7",
                "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate),
                "-addext", f"subjectAltName=DNS:localhost,IP:{HOST}",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        key.chmod(0o600)

    # 3. The app processes and the workers.
    pids: dict[str, list[int]] = {"app": [], "worker": [], "nginx": []}
    ports = [FIRST_APP_PORT + i for i in range(processes)]
    for port in ports:
        log = (work / f"logs/app-{port}.log").open("ab")
        process = subprocess.Popen(
            [str(BIN / "sinergi"), "serve", "--host", HOST, "--port", str(port), "--threads", "4"],
            env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        pids["app"].append(process.pid)
    for index in range(workers):
        log = (work / f"logs/worker-{index + 1}.log").open("ab")
        process = subprocess.Popen(
            [str(BIN / "sinergi"), "worker"],
            env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        pids["worker"].append(process.pid)
    (work / "pids.json").write_text(json.dumps(pids))
    for port in ports:
        wait_for(lambda port=port: _healthy(port), f"The app process on port {port}")

    # 4. nginx in front. Started as root, it would hand its workers to `nobody`, who may not
    # reach the work folder: on this test machine they keep the starting account instead.
    user = "user root;" if os.geteuid() == 0 else ""
    static = Path(env["SINERGI_DATA_DIR"]).resolve() / "static"
    servers = "\n".join(
        f"        server {HOST}:{port} max_fails=1 fail_timeout=5s;" for port in ports
    )
    (work / "nginx.conf").write_text(
        NGINX_CONF.format(
            user=user, work=work, host=HOST, https_port=HTTPS_PORT, http_port=HTTP_PORT,
            servers=servers, static=static,
        )
    )  # fmt: skip
    subprocess.run(
        ["nginx", "-t", "-q", "-p", str(work), "-c", str(work / "nginx.conf")], check=True
    )
    nginx = subprocess.Popen(
        ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
        stdout=(work / "logs/nginx.out").open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    pids["nginx"].append(nginx.pid)
    (work / "pids.json").write_text(json.dumps(pids))
    wait_for(lambda: https(work).get("/healthz").status == 200, "nginx")
    print(
        f"Up: https://localhost:{HTTPS_PORT}/ (nginx, self-signed: {certificate}), "
        f"{processes} app processes on {ports[0]}-{ports[-1]}, {workers} workers."
    )


def down(work: Path) -> None:
    record = work / "pids.json"
    if not record.exists():
        print("Nothing is up.")
        return
    pids = json.loads(record.read_text())
    for kind in ("nginx", "app", "worker"):
        for pid in pids.get(kind, []):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(100):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)  # reap it when this process started it
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)
    record.unlink()
    print("Down.")


# --- The check ----------------------------------------------------------------------------


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        raw = response.read()
        self.raw = raw
        encoded = response.headers.get("Content-Encoding", "")
        self.body = gzip.decompress(raw) if encoded == "gzip" else raw
        self.text = self.body.decode("utf-8", "replace")


class Browser:
    """A client with its own source address on loopback (127.0.0.x), its cookies, speaking
    HTTPS to nginx with the topology's certificate as the only trusted one."""

    def __init__(self, work: Path, source: str = HOST, port: int = HTTPS_PORT, tls: bool = True):
        self.work, self.source, self.port, self.tls = work, source, port, tls
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, **headers) -> Answer:
        if self.tls:
            context = ssl.create_default_context(cafile=str(self.work / "tls/sinergi.crt"))
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                "localhost", self.port, context=context, timeout=60, source_address=(self.source, 0)
            )
        else:
            connection = http.client.HTTPConnection(
                "localhost", self.port, timeout=60, source_address=(self.source, 0)
            )
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        answer = Answer(connection.getresponse())
        connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, **headers)

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            **{
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://localhost:{self.port}{path}",
            },
        )

    def token(self, path: str) -> str:
        page = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not found:
            raise AssertionError(f"No form on {path} ({page.status}).")
        return found.group(1)

    def sign_in(self, username: str, password: str) -> int:
        token = self.token("/accounts/login/")
        answer = self.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        return answer.status


def https(work: Path, source: str = HOST) -> Browser:
    return Browser(work, source)


def expect(condition: bool, what: str, detail: object = "") -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what} {detail}".rstrip())
    print(f"ok  {what}")


def check(work: Path) -> None:
    env = environment(work)
    pids = json.loads((work / "pids.json").read_text())

    # HTTPS pages with HSTS, compressed.
    page = https(work).get("/accounts/login/", **{"Accept-Encoding": "gzip"})
    hsts = page.headers.get("Strict-Transport-Security", "")
    expect(page.status == 200, "HTTPS page answers 200 through nginx", page.status)
    expect(hsts.startswith("max-age=31536000"), "HTTPS page carries HSTS", hsts)
    expect(
        page.headers.get("Content-Encoding") == "gzip" and len(page.raw) < len(page.body),
        "HTML is compressed",
        page.headers.get("Content-Encoding"),
    )

    # Plain HTTP redirected once, to the same path over HTTPS.
    plain = Browser(work, port=HTTP_PORT, tls=False).get("/accounts/login/?next=/")
    location = plain.headers.get("Location", "")
    expect(
        plain.status == 301
        and location == f"https://localhost:{HTTPS_PORT}/accounts/login/?next=/",
        "HTTP is redirected to HTTPS",
        (plain.status, location),
    )

    # Static files: caching headers and compression.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.text)
    expect(stylesheet is not None, "the page links its stylesheet under /static/")
    asset = https(work).get(stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    cache = asset.headers.get("Cache-Control", "")
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1)) if "max-age" in cache else 0
    expect(asset.status == 200, "static file served", asset.status)
    expect(max_age >= 365 * 24 * 3600 and "immutable" in cache, "static file cached a year", cache)
    expect(asset.headers.get("Content-Encoding") == "gzip", "static file compressed")

    # Health check through the proxy.
    health = https(work).get("/healthz")
    expect(health.status == 200 and health.text == "ok", "health check answers through nginx")

    # Throttling counts each client's own address, not nginx's.
    from_guesser = https(work, "127.0.0.2")
    statuses = [from_guesser.sign_in("demo.viewer", "wrong-password") for _ in range(5)]
    locked = from_guesser.sign_in("demo.viewer", CHECK_PASSWORD)
    expect(statuses[:4] == [200] * 4 and locked == 429, "the guessing client is locked out")
    colleague = https(work, "127.0.0.3").sign_in("demo.viewer", CHECK_PASSWORD)
    expect(colleague == 302, "a colleague behind the same proxy signs in", colleague)
    sinergi(env, "axes_reset_username", "demo.viewer")

    # A job queued by an app process runs on a worker.
    editor = https(work, "127.0.0.4")
    expect(editor.sign_in(CHECK_USER, CHECK_PASSWORD) == 302, f"{CHECK_USER} signs in")
    token = editor.token("/imports/")
    boundary = "sinergi-check"
    csv_bytes = "Mã số thuế,Tên doanh nghiệp\n0100109106,Công ty kiểm tra triển khai\n".encode()
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="check.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + csv_bytes
        + f"\r\n--{boundary}--\r\n".encode()
    )
    upload = editor.request(
        "POST",
        "/imports/",
        body,
        **{
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"https://localhost:{HTTPS_PORT}/imports/",
        },
    )
    batch = re.search(r"/imports/(\d+)/", upload.headers.get("Location", ""))
    expect(upload.status == 302 and batch is not None, "an upload is accepted and queued")
    status = "queued"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and status in ("queued", "checking"):
        time.sleep(0.5)
        answer = editor.get(f"/api/import-batches/{batch.group(1)}/")
        status = json.loads(answer.text)["status"] if answer.status == 200 else status
    expect(status == "checked", "a worker ran the queued check", status)

    # One app process down: nginx sends its requests to the others.
    os.kill(pids["app"][0], signal.SIGSTOP if len(pids["app"]) == 1 else signal.SIGTERM)
    try:
        if len(pids["app"]) > 1:
            answers = [https(work).get("/healthz").status for _ in range(2 * len(pids["app"]))]
            expect(set(answers) == {200}, "with one app process down, nginx uses the others")
    finally:
        if len(pids["app"]) == 1:
            os.kill(pids["app"][0], signal.SIGCONT)
    print("Topology check passed.")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("action", choices=["up", "check", "down", "run"])
    parser.add_argument("--processes", type=int, default=2, help="app processes (1-8)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "topology")
    args = parser.parse_args()
    if not 1 <= args.processes <= 8:
        raise SystemExit("--processes: 1 to 8 (ports 8151-8158).")
    work = args.workdir.resolve()
    if args.action == "up":
        up(work, args.processes, args.workers)
    elif args.action == "check":
        check(work)
    elif args.action == "down":
        down(work)
    else:
        try:
            up(work, args.processes, args.workers)
            check(work)
        finally:
            down(work)


if __name__ == "__main__":
    main()

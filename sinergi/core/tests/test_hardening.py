"""Production hardening: `check --deploy` is clean with production settings, sign-in
throttling counts the real client behind a proxy, sessions expire, passwords are strong, large
requests are refused, and the API's browsable pages keep the Content Security Policy."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sinergi.api import services as token_services
from sinergi.core.testing import PASSWORD

SINERGI = str(Path(sys.executable).with_name("sinergi"))


def production_env(tmp_path, **changes) -> dict[str, str]:
    env = {
        **os.environ,
        "SINERGI_DATA_DIR": str(tmp_path),
        "SINERGI_DEBUG": "false",
        "SINERGI_HTTPS": "true",
        "SINERGI_SECRET_KEY": secrets.token_urlsafe(60),
        "SINERGI_ALLOWED_HOSTS": "sinergi.example.go.id",
        "SINERGI_CSRF_TRUSTED_ORIGINS": "https://sinergi.example.go.id",
        **changes,
    }
    # Set by the browser tests for Playwright's event loop; never in a deployment.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return env


def deploy_check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SINERGI, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_check_without_a_warning(tmp_path):
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_fails_when_served_without_https(tmp_path):
    # The same check must be able to fail, or the test above proves nothing.
    result = deploy_check(production_env(tmp_path, SINERGI_HTTPS="false"))
    assert result.returncode != 0
    assert "security.W012" in result.stderr and "security.W008" in result.stderr


def test_behind_a_proxy_the_lockout_counts_the_real_client(world, settings):
    """Two people behind the same reverse proxy: one guessing passwords does not lock the
    other out (their addresses come from X-Forwarded-For, set by the trusted proxy)."""
    settings.TRUSTED_PROXIES = 1
    login = reverse("accounts:login")
    guesser = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(login, {"username": "viewer", "password": "wrong"})
    assert guesser.post(login, {"username": "viewer", "password": PASSWORD}).status_code == 429
    # A forged left-hand entry does not help the guesser…
    forged = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert forged.post(login, {"username": "viewer", "password": PASSWORD}).status_code == 429
    # …while a colleague behind the same proxy signs in.
    colleague = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.6")
    response = colleague.post(login, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in colleague.session


def test_a_session_expires_with_the_browser_and_after_the_working_day(world, settings):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 3600
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize("password", ["short-1x", "12345678901", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_request_body_over_the_limit_is_refused(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    _token, key = token_services.token_create(actor=world.users["admin"], name="big")
    body = '{"name": "' + "x" * 4096 + '"}'
    response = Client().post(
        "/api/zones/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code in (400, 413)


def test_the_browsable_api_keeps_the_content_security_policy(world):
    response = world.client("viewer").get("/api/enterprises/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Every script is a file of the app's own origin, or a JSON data block (not executed).
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "cdn" not in response.content.decode().lower()


def test_one_address_trying_many_user_names_is_locked_out(world, settings):
    """Password spraying: one wrong guess each for many user names still adds up per address,
    while a colleague at another address signs in."""
    settings.SINERGI_LOGIN_ADDRESS_LIMIT = 4
    login = reverse("accounts:login")
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    for name in ("admin", "coordinator", "editor_a", "editor_b"):
        sprayer.post(login, {"username": name, "password": "Password123!"})
    # No single user name reached its own limit (5), yet the address is locked…
    assert sprayer.post(login, {"username": "viewer", "password": PASSWORD}).status_code == 429
    # …and only that address.
    other = Client(REMOTE_ADDR="203.0.113.10")
    response = other.post(login, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in other.session


def test_a_few_mistakes_from_one_address_lock_nobody(world, settings):
    settings.SINERGI_LOGIN_ADDRESS_LIMIT = 4
    login = reverse("accounts:login")
    office = Client(REMOTE_ADDR="203.0.113.11")
    for name in ("admin", "coordinator", "editor_a"):
        office.post(login, {"username": name, "password": "typo"})
    assert office.post(login, {"username": "viewer", "password": PASSWORD}).status_code == 302


def test_a_new_password_equal_to_the_current_one_is_refused(world):
    from sinergi.accounts.services import user_set_password

    viewer = world.users["viewer"]
    with pytest.raises(ValidationError) as refused:
        user_set_password(actor=viewer, user=viewer, password=PASSWORD)
    assert refused.value.error_list[0].code == "password_unchanged"
    response = world.client("viewer").post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2", "password_unchanged")


def test_the_database_and_the_secret_key_are_created_owner_only(tmp_path):
    """Created under a permissive umask, the SQLite database (and its WAL files) and the
    generated secret key are still readable by their owner alone."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SINERGI_SECRET_KEY")}
    env["SINERGI_DATA_DIR"] = str(tmp_path)
    script = (
        "import os; os.umask(0o022); import django; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('migrate', 'sessions', verbosity=0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "sinergi.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    created = [tmp_path / "secret_key", tmp_path / "sinergi.sqlite3"]
    created += [p for p in tmp_path.glob("sinergi.sqlite3-*")]
    for path in created:
        assert path.exists() and (path.stat().st_mode & 0o777) == 0o600, path

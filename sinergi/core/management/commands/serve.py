"""`sinergi serve`: one web server process, nothing else (the production command: the proxy, the
worker and the migrations are run separately, see docs/deployment.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sinergi.core.serving import SERVER_THREADS, waitress_options


class Command(BaseCommand):
    help = (
        "Serve the app with waitress on one address, honouring the reverse proxy in front of it "
        "(SINERGI_TRUSTED_PROXIES, SINERGI_PROXY_ADDRESS, SINERGI_HTTPS). Runs no worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=SERVER_THREADS)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        from sinergi.wsgi import application

        serve(application, host=host, port=port, **waitress_options(threads=threads))

"""Run Sinergi on this machine: migrate, load the demo once, start the worker and the web server."""

from __future__ import annotations

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sinergi.core.serving import SERVER_THREADS


class Command(BaseCommand):
    help = "Migrate, optionally load the demo, then serve the app with its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="Load the demo data (once).")
        parser.add_argument("--threads", type=int, default=SERVER_THREADS)

    def handle(self, *args, host, port, demo, threads, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            call_command("demo")
        worker = subprocess.Popen([sys.executable, "-m", "sinergi.cli", "worker"])
        self.stdout.write(f"Background worker started (pid {worker.pid}).")
        url = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"Sinergi is running at {url}  (Ctrl+C to stop)"))
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")

        def stop(*_args):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            from waitress import serve

            from sinergi.core.serving import waitress_options
            from sinergi.wsgi import application

            serve(application, host=host, port=port, **waitress_options(threads=threads))
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

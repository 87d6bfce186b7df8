"""`manage.py generate_demo`: synthetic people, claims, writeups and proposals (registry.demo)."""

import time

from django.core.management.base import BaseCommand

from registry import demo


class Command(BaseCommand):
    help = ("Fill the database with synthetic demo data (see registry/demo.py for the rules "
            "it upholds). `small` takes seconds; `large` is the benchmark's data set.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(demo.SCALES), default="small")
        parser.add_argument("--reset", action="store_true",
                            help="Delete the demo rows already present first (only those).")
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args, scale, reset, seed, **options):
        started = time.monotonic()
        if demo.has_demo_data():
            if not reset:
                # `make demo` twice is a newcomer's normal use, not a mistake: say what is
                # there and how to start afresh, and succeed.
                self.stdout.write(
                    "This database already holds the demo data (people with @"
                    f"{demo.DEMO_EMAIL_DOMAIN} addresses); nothing changed. Every demo "
                    f"person's password is “{demo.DEMO_PASSWORD}” (demo-00000 is staff). To "
                    "start the demo afresh: make demo RESET=1 (or --reset), which deletes the "
                    "demo rows only.")
                return
            self.stdout.write("deleting the existing demo rows …")
            demo.demo_delete()
            self.stdout.write(f"  deleted in {time.monotonic() - started:.1f}s")
        self.stdout.write(f"generating the {scale} demo data set (seed {seed})")
        generator = demo.Generator(demo.SCALES[scale], seed=seed, report=self._report,
                                   progress=self._progress)
        generator.run()
        self.stdout.write(self.style.SUCCESS(
            f"demo data ready in {time.monotonic() - started:.1f}s; every demo person's "
            f"password is “{demo.DEMO_PASSWORD}” (demo-00000 is staff)"))

    def _progress(self, text):
        if not self.stdout.isatty():
            return
        self.stdout.write(f"\r  … {text:<60}", ending="")
        self.stdout.flush()

    def _report(self, phase, rows, seconds):
        clear = "\r" + " " * 66 + "\r" if self.stdout.isatty() else ""
        self.stdout.write(f"{clear}  {phase:<22} {rows:>10,} rows {seconds:>8.1f}s")

from django.core.management.base import BaseCommand

from registry import services
from registry.rendering import RENDERER_VERSION


class Command(BaseCommand):
    help = ("Re-render the stored HTML of writeups rendered by an older Markdown renderer. "
            "Run after a deploy that bumps registry.rendering.RENDERER_VERSION; safe to repeat.")

    def handle(self, *args, **options):
        count = services.writeups_rerender()
        self.stdout.write(self.style.SUCCESS(
            f"re-rendered {count} writeup{'s' if count != 1 else ''} to renderer version "
            f"{RENDERER_VERSION}"
        ))

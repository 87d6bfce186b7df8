"""`manage.py rerender_markdown`: re-render stored HTML made by an older Markdown renderer."""

from django.core.management.base import BaseCommand

from proposals.services import proposals_rerender
from registry import services
from registry.core.rendering import RENDERER_VERSION
from registry.feedback.services.comments import comments_rerender
from registry.feedback.services.reviews import review_comments_rerender


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


class Command(BaseCommand):
    help = ("Re-render the stored HTML of writeups, their versions, proposal analyses, "
            "comments and review comments "
            "rendered by an older Markdown renderer. Run after a deploy that bumps "
            "registry.core.rendering.RENDERER_VERSION, and after importing an older backup; safe "
            "to repeat.")

    def handle(self, *args, **options):
        writeups, versions = services.writeups_rerender()
        proposals = proposals_rerender()
        comments = comments_rerender()
        review_comments = review_comments_rerender()
        self.stdout.write(self.style.SUCCESS(
            f"re-rendered {_count(writeups, 'writeup')}, {_count(versions, 'writeup version')}, "
            f"{_count(proposals, 'proposal')}, {_count(comments, 'comment')} and "
            f"{_count(review_comments, 'review comment')} to renderer version {RENDERER_VERSION}"
        ))

"""Finds English left in a page or e-mail that should be in Spanish (issue 18).

The visible text of a page (and the text of its aria-label, title, placeholder and alt
attributes and its buttons' values) is read without scripts and styles and without elements
marked in another language (`lang="en"`: the switcher's "English"). What the people of the
test's world wrote (their user content, shown in the language it was written in) and proper
names are removed through an allow-list; what is left must contain none of the English words
below, each of which is common in Gapmap's English and is no Spanish word.
"""

import re
from html.parser import HTMLParser

ENGLISH_WORDS = frozenset("""
the and you your yours with this that these those from have had are was were will
would should could not for of to by on at or an it its be been being which who whom what
when where why how all any more less new see sign log in out my our their there here can
cannot yet just only also than then into over under about after before again
topic topics claim claims claimed writeup writeups proposal proposals gap gaps funder
funders expert experts review reviews reviewer reviewers comment comments reply replies
edit save cancel delete remove back next previous page pages search help settings
follow following unfollow report reports reported hide hidden show open close closed read
unread draft drafts published publish stage owner owners interest interests alert alerts
people person name email password account profile work notifications moderation
endorse endorsed endorsement endorsements recognition recognised track record
suggest suggested suggestion suggestions invite invited invitation accept accepted decline
declined withdraw withdrawn adopted analysis ask steps target submit send sent update
updated created changed add added version versions history map board home nothing none
yes day days week weeks month months year years ago today yesterday minute minutes hour
hours second seconds
""".split())
# Words written the same in both languages or names: never counted as English.
NEVER_ENGLISH = frozenset({"gapmap", "api", "token", "tokens", "atom", "csv", "json", "markdown",
                           "url", "email"})
SKIPPED_TAGS = {"script", "style", "template"}
TEXT_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
URL = re.compile(r"https?://\S+")
WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[a-z]+)?")


class _VisibleText(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack and self.stack[-1])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = attrs.get("lang") or ""
        skip = self.skipping or tag in SKIPPED_TAGS or (language and not language.startswith("es"))
        if not skip:
            self.parts += [attrs[name] for name in TEXT_ATTRIBUTES if attrs.get(name)]
            # An input button shows its value; a <button>'s value is data, its content shows.
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                self.parts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_left(text: str, allowed: list[str]) -> list[str]:
    """The phrases of `text` that still hold an English word once every allowed string (user
    content, names) is taken out: each as 'word: …context…'."""
    text = URL.sub(" ", text)
    for phrase in sorted({phrase.strip() for phrase in allowed}, key=len, reverse=True):
        if len(phrase) >= 3:  # "es" (a stored language) is no one's content
            # Whole words only: the title "Out" must not eat "out" out of "without".
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text)
    found = []
    for line in text.splitlines():
        for match in WORD.finditer(line):
            word = match.group().lower()
            if word in ENGLISH_WORDS and word not in NEVER_ENGLISH:
                found.append(f"{word}: {' '.join(line.split())[:120]}")
                break
    return found

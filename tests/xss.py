"""The XSS corpus and the check that a rendered page carries none of it in executable form.

Each payload, if it ever ran, would set window.__xss or open a dialog; the browser gate looks
for both, and `dangerous_markup` finds the same shapes statically in served HTML.
"""

from html.parser import HTMLParser

PAYLOADS = [
    # plain tags
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<img src=x onerror=window.__xss=1>",
    "<IMG SRC=x ONERROR=\"alert(1)\">",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><a xlink:href=\"javascript:window.__xss=1\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<iframe src=\"javascript:window.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<embed src=\"javascript:window.__xss=1\">",
    "<body onload=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<style>@import 'javascript:window.__xss=1';</style>",
    "<base href=\"javascript:window.__xss=1//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<form action=javascript:window.__xss=1><button>x</button></form>",
    "<button formaction=javascript:window.__xss=1>x</button>",
    "<input autofocus onfocus=window.__xss=1>",
    "<a href=\"javascript:window.__xss=1\">x</a>",
    "<a href=\"jav&#x09;ascript:window.__xss=1\">x</a>",
    "<a href=\"&#106;avascript:window.__xss=1\">x</a>",
    # attribute breakouts
    "\"><script>window.__xss=1</script>",
    "'><img src=x onerror=window.__xss=1>",
    "\" onmouseover=\"window.__xss=1",
    "' autofocus onfocus='window.__xss=1",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    # Markdown links and images
    "[x](javascript:window.__xss=1)",
    "[x](JaVaScRiPt:window.__xss=1)",
    "[x]( javascript:window.__xss=1)",
    "[x](java\tscript:window.__xss=1)",
    "[x](javascript&#58;window.__xss=1)",
    "[x](%6A%61%76%61%73%63%72%69%70%74:window.__xss=1)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:window.__xss=1)",
    "![x](x\" onerror=\"window.__xss=1)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:window.__xss=1",
    "<javascript:window.__xss=1>",
    "<vbscript:msgbox(1)>",
    "```\n</code><script>window.__xss=1</script>\n```",
    "`<img src=x onerror=window.__xss=1>`",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc",
                  "background", "poster"}
FORBIDDEN_SCHEMES = ("javascript:", "vbscript:", "data:")
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "base", "style", "math"}


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(FORBIDDEN_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def dangerous_markup(html: str) -> list[str]:
    """Executable shapes in `html`: script-like tags, event handlers, script/data URLs."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems

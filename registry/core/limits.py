"""How much people may type: the longest text each field takes, and the most items each list
takes. The one table for every write.

The services enforce these (registry.services.history.FieldErrors), refusing with a 400
ValidationFailed that names the field; the page forms take their `max_length` from here, so
the browser shows the limit (`maxlength`) and the form keeps what was typed when a service
refuses; the API serializers take theirs from here, so the OpenAPI schema documents them.

Why bound everything: a field without a limit is a denial of service. A million-character
proposal analysis, or 20,000 co-authors, each kept a worker busy past its 30 s timeout.
Markdown fields are also bounded by the renderer's own work budget (registry.core.rendering).

A model column with its own max_length (CharField) must agree with this table; the tests
check that. Imports no app.
"""

# The most characters each text field takes, by the thing it belongs to.
MAX_LENGTH: dict[str, dict[str, int]] = {
    "account": {"username": 150, "email": 254},
    "profile": {"display_name": 120, "affiliation": 200, "bio": 2_000, "links": 2_000,
                "conflict_of_interest": 2_000},
    "topic_suggestion": {"title": 200, "reason": 4_000, "decision_note": 2_000},
    # `note`: releasing (optional) or renewing (a progress note) a claim.
    "claim": {"plan": 2_000, "note": 2_000},
    # `body` is Markdown.
    "writeup": {"title": 200, "body": 100_000, "external_url": 500},
    # `analysis` is Markdown; `step` is each one of `steps`; `note` is the note on a stage
    # move and on answering or withdrawing an owner invitation.
    "proposal": {"title": 200, "analysis": 20_000, "ask": 600, "target": 200, "step": 300,
                 "cost_range": 100, "time_horizon": 100, "note": 2_000},
    "report": {"note": 2_000},
    # A moderator's reason for hiding or showing content, and their note deciding a report.
    "moderation": {"reason": 2_000, "note": 2_000},
    "funder_interest": {"note": 2_000, "amount_range": 100},
    # `reason`: a moderator's reason for voiding one.
    "endorsement": {"statement": 2_000, "disclosure": 2_000, "reason": 2_000},
    # `reason`: why it is recorded, or (ending one) why it ends.
    "recognition": {"name": 200, "work_title": 300, "work_url": 500, "reason": 2_000},
    # A comment in the discussion of a published writeup or a proposal; `body` is Markdown.
    "comment": {"body": 10_000},
    # A review request's message to the person asked; a review comment (`body`, Markdown).
    "review_request": {"message": 2_000},
    "review_comment": {"body": 10_000},
}

# The fewest characters a text field takes, where a short answer says nothing.
MIN_LENGTH: dict[str, dict[str, int]] = {
    "endorsement": {"statement": 40},
}

# The most items each list field takes.
MAX_ITEMS: dict[str, dict[str, int]] = {
    "proposal": {"steps": 30, "co_authors": 10, "related_topics": 10,
                 "supporting_writeups": 20},
}


def max_length(kind: str, field: str) -> int:
    """The most characters `field` of `kind` takes; a KeyError for a field not in the table."""
    return MAX_LENGTH[kind][field]


def min_length(kind: str, field: str) -> int:
    return MIN_LENGTH[kind][field]


def max_items(kind: str, field: str) -> int:
    return MAX_ITEMS[kind][field]


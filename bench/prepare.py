# Run by bench/run.py through `manage.py shell -c`: make the fortune table, say whether the
# demo data must be generated, and pick the pages and accounts the run uses. Prints JSON last.
import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count, Q

from config.bench_floor import CREATE_TABLE, FORTUNES
from proposals import services as proposal_services
from proposals.models import Proposal, Stage
from registry import demo
from registry.feedback.models import Comment
from registry.feedback.services.comments import comment_create
from registry.models import Claim, Cluster, Topic, Writeup
from registry.notifications.services import follow_create
from registry.tokens.services import api_token_create

# The discussion the writeup page shows (demo data has none): top-level comments, each with a
# reply, so the page lists one full page of a thread and the reader's inbox fills up.
THREAD_COMMENTS = 40

with connection.cursor() as cursor:
    cursor.execute(CREATE_TABLE)
    cursor.execute("SELECT count(*) FROM bench_fortune")
    if cursor.fetchone()[0] != len(FORTUNES):
        cursor.execute("DELETE FROM bench_fortune")
        cursor.executemany("INSERT INTO bench_fortune (id, message) VALUES (%s, %s)", FORTUNES)

if not demo.has_demo_data():
    print(json.dumps({"generate": True}))
else:
    published = Q(writeups__published_at__isnull=False, writeups__deleted_at__isnull=True)
    topic = (Topic.objects.filter(state=Topic.State.LISTED)
             .annotate(n=Count("writeups", filter=published)).order_by("-n").first())
    proposal = Proposal.objects.annotate(n=Count("events")).order_by("-n").first()
    people = list(demo.demo_people().exclude(claims__state=Claim.State.ACTIVE)
                  .order_by("-pk")[:32])
    # People without an active claim anywhere can claim any listed topic.
    free = list(Topic.objects.filter(state=Topic.State.LISTED).order_by("-pk")[:32])
    # A signed-in reader for the uncached pass: a session as log-in would make it.
    reader = demo.demo_people().filter(is_staff=False).order_by("pk").first()
    writeup = (Writeup.objects.filter(topic=topic, published_at__isnull=False,
                                      deleted_at__isnull=True).order_by("-published_at").first())
    commenters = list(demo.demo_people().filter(is_staff=False).order_by("pk")[1:41])
    started = Comment.objects.filter(writeup=writeup, parent__isnull=True).count()
    if started < THREAD_COMMENTS:
        follow_create(person=reader, topic=topic)
        follow_create(person=reader, writeup=writeup)
    for i, person in enumerate(commenters[:THREAD_COMMENTS]):
        if i >= started:
            comment = comment_create(target=writeup, author=person,
                                     body=f"Point {i}: does this hold for @{reader.username}'s "
                                          "case as well?")
            comment_create(target=writeup, author=reader, parent=comment,
                           body="Yes, with the caveat in the second section.")

    def own_proposal(person):
        """A proposal in analysis by `person`, with everything the proposal stage needs, for
        the move loop (it goes to `proposal` and back)."""
        title = f"Bench proposal by {person.username}"
        mine = Proposal.objects.filter(author=person, title=title).first()
        if mine is None:
            mine = proposal_services.proposal_create(
                topic=topic, author=person, title=title, analysis="Why this matters.",
                ask="Fund one pilot.", target="A lab", steps=["Write to the lab."])
        elif mine.stage != Stage.ANALYSIS:
            proposal_services.proposal_move(proposal=mine, to="analysis", actor=person)
        return mine.pk

    # Each writer: its token, a topic to claim, the writeup to comment on, its own proposal.
    accounts = [(api_token_create(user=person, name="bench")[1], slug.slug, writeup.pk,
                 own_proposal(person))
                for person, slug in zip(people, free, strict=False)]
    cluster = (Cluster.objects.annotate(n=Count("topics")).order_by("-n").first())
    # Someone with a track record: the most published writeups.
    author = (demo.demo_people().annotate(n=Count("writeups", filter=Q(
        writeups__published_at__isnull=False))).order_by("-n").first())
    session = SessionStore()
    session.update({SESSION_KEY: str(reader.pk), HASH_SESSION_KEY: reader.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "registry.moderation.backends.PersonBackend"})
    session.create()
    print(json.dumps({
        "topic": topic.slug, "topic_writeups": topic.n,
        "proposal": proposal.pk, "proposal_events": proposal.n, "accounts": accounts,
        "session": session.session_key, "reader": reader.username,
        "cluster": cluster.slug, "cluster_topics": cluster.n,
        "writeup": writeup.pk, "writeup_comments": Comment.objects.filter(
            writeup=writeup).count(),
        "person": author.username, "person_writeups": author.n,
        "reader_token": api_token_create(user=reader, name="bench")[1],
        "counts": {"topics": Topic.objects.count(),
                   "people": get_user_model().objects.count(),
                   "claims": Claim.objects.count(), "writeups": Writeup.objects.count(),
                   "proposals": Proposal.objects.count()},
    }))

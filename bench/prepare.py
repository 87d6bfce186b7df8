# Run by bench/run.py through `manage.py shell -c`: make the fortune table, say whether the
# demo data must be generated, and pick the pages and accounts the run uses. Prints JSON last.
import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count, Q

from config.bench_floor import CREATE_TABLE, FORTUNES
from proposals.models import Proposal
from registry import demo
from registry.models import Claim, Topic, Writeup
from registry.tokens.services import api_token_create

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
    accounts = [(api_token_create(user=person, name="bench")[1], slug.slug)
                for person, slug in zip(people, free, strict=False)]
    # A signed-in reader for the uncached pass: a session as log-in would make it.
    reader = demo.demo_people().filter(is_staff=False).order_by("pk").first()
    session = SessionStore()
    session.update({SESSION_KEY: str(reader.pk), HASH_SESSION_KEY: reader.get_session_auth_hash(),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
    session.create()
    print(json.dumps({
        "topic": topic.slug, "topic_writeups": topic.n,
        "proposal": proposal.pk, "proposal_events": proposal.n, "accounts": accounts,
        "session": session.session_key, "reader": reader.username,
        "reader_token": api_token_create(user=reader, name="bench")[1],
        "counts": {"topics": Topic.objects.count(),
                   "people": get_user_model().objects.count(),
                   "claims": Claim.objects.count(), "writeups": Writeup.objects.count(),
                   "proposals": Proposal.objects.count()},
    }))

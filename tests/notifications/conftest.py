"""The claim sweep's world, shared by the sweep's and the language tests: a clock that starts
on T0 (days(n) later), the sweep's rules, and alice's claim on a topic bob follows."""

import datetime

import pytest

from registry import services
from registry.notifications import services as notifications
from tests.factories import TopicFactory

T0 = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)


def days(n):
    return T0 + datetime.timedelta(days=n)


@pytest.fixture
def claim_rules(settings):
    """Immediate e-mails, a reminder after 150 quiet days, dormant after 183."""
    settings.GAPMAP_NOTIFY_BATCH_MINUTES = 0
    settings.GAPMAP_CLAIM_REMINDER_DAYS = 150
    settings.GAPMAP_CLAIM_DORMANT_DAYS = 183


@pytest.fixture
def alice_claim(alice, bob):
    topic = TopicFactory(slug="chips", title="Compute governance")
    notifications.follow_create(person=bob, topic=topic)
    return services.claim_create(topic=topic, person=alice, plan="A survey.", now=T0)

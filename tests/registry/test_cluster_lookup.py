"""Cluster pages and the experts directory read the clusters once per site version
(registry.selectors.clusters_in_order): the admin's edits and deletions move the version, so
they show at once; a cluster made by anything else is still found."""

import pytest
from django.test import Client

from registry.models import Cluster
from registry.selectors import site_version
from tests.factories import ClusterFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_cluster_page_signed_in_reads_no_cluster_query_twice(signed_in,
                                                              django_assert_num_queries):
    TopicFactory(cluster=ClusterFactory(slug="security", name="Security"))
    signed_in.get("/clusters/security/")
    with django_assert_num_queries(2):  # the session and the person (with the site version)
        response = signed_in.get("/clusters/security/")
    assert response.status_code == 200


def test_cluster_page_of_a_cluster_made_since_the_list_was_read_is_found(signed_in):
    ClusterFactory(slug="security", name="Security")
    assert signed_in.get("/clusters/security/").status_code == 200
    Cluster.objects.create(slug="new-cluster", name="New cluster", position=9)  # no version move

    response = signed_in.get("/clusters/new-cluster/")

    assert (response.status_code, "New cluster" in response.content.decode()) == (200, True)


def test_cluster_page_unknown_slug_is_404(signed_in):
    ClusterFactory(slug="security")
    assert signed_in.get("/clusters/nowhere/").status_code == 404


def test_experts_cluster_choices_show_an_admin_rename_at_once(signed_in, admin_client):
    cluster = ClusterFactory(slug="security", name="Security", position=1)
    assert ">Security</option>" in signed_in.get("/experts/").content.decode()

    response = admin_client.post(f"/admin/registry/cluster/{cluster.pk}/change/", {
        "name": "Computer security", "slug": "security", "description": "", "position": 1,
        "translations": "{}"})

    assert response.status_code == 302
    assert ">Computer security</option>" in signed_in.get("/experts/").content.decode()


def test_cluster_admin_delete_moves_the_site_version(admin_client):
    cluster = ClusterFactory(slug="gone")
    before = site_version()

    response = admin_client.post(f"/admin/registry/cluster/{cluster.pk}/delete/", {"post": "yes"})

    assert (response.status_code, Cluster.objects.filter(pk=cluster.pk).exists()) == (302, False)
    assert site_version() != before

"""registry.core.clients.client_address: the one address every limit and the lockout count by."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from registry.core.clients import client_address


def _request(forwarded=None, remote="203.0.113.7"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_address_no_proxies_ignores_forwarded_for(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    assert client_address(_request("198.51.100.1")) == "203.0.113.7"


def test_client_address_one_proxy_takes_right_most_entry(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 1
    assert client_address(_request("6.6.6.6, 198.51.100.1")) == "198.51.100.1"


def test_client_address_one_proxy_left_most_spoof_does_not_change_it(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 1
    addresses = {client_address(_request(f"6.6.6.{n}, 198.51.100.1")) for n in range(5)}
    assert addresses == {"198.51.100.1"}


def test_client_address_two_proxies_take_second_from_right(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 2
    assert client_address(_request("6.6.6.6, 198.51.100.1, 10.0.0.2")) == "198.51.100.1"


def test_client_address_fewer_entries_than_proxies_falls_back_to_remote(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 2
    assert client_address(_request("198.51.100.1")) == "203.0.113.7"
    assert client_address(_request()) == "203.0.113.7"


def test_client_address_entry_that_is_no_address_falls_back_to_remote(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 1
    assert client_address(_request("198.51.100.1, not-an-ip")) == "203.0.113.7"


def test_client_address_normalises_ports_and_ipv6(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 1
    assert client_address(_request("198.51.100.1:4711")) == "198.51.100.1"
    assert client_address(_request("[2001:DB8::1]:443")) == "2001:db8::1"
    assert client_address(_request("2001:db8:0::2")) == "2001:db8::2"


def test_client_address_without_any_address_is_empty(settings):
    settings.GAPMAP_TRUSTED_PROXIES = 0
    assert client_address(_request(remote="")) == ""


def test_client_address_negative_proxy_count_named(settings):
    settings.GAPMAP_TRUSTED_PROXIES = -1
    with pytest.raises(ValueError) as refused:
        client_address(_request())
    assert str(refused.value) == (
        "GAPMAP_TRUSTED_PROXIES must be a whole number of 0 or more, not -1.")


def test_axes_lockout_counts_by_the_same_address(settings):
    request = _request("6.6.6.6, 198.51.100.1")
    settings.GAPMAP_TRUSTED_PROXIES = 0
    assert get_client_ip_address(request) == "203.0.113.7"
    settings.GAPMAP_TRUSTED_PROXIES = 1
    assert get_client_ip_address(request) == "198.51.100.1"

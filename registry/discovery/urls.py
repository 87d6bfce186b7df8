"""Discovery's pages: gaps, the map, search, interest, alerts, feeds and exports."""

from django.urls import path, re_path

from registry.discovery import exports, feeds, pickers, views

app_name = "discovery"

urlpatterns = [
    path("gaps/", views.gaps, name="gaps"),
    path("map/", views.gap_map, name="map"),
    path("map.svg", views.gap_map_svg, name="map-svg"),
    path("search/", views.search_page, name="search"),
    # Fragments the forms fetch as someone types (htmx): registry.discovery.pickers.
    path("pick/people/", pickers.people, name="pick-people"),
    path("pick/topics/", pickers.topics, name="pick-topics"),
    path("pick/writeups/", pickers.writeups, name="pick-writeups"),
    path("pick/similar/", pickers.similar, name="pick-similar"),
    path("topics/<slug:slug>/interest/", views.topic_interest, name="topic-interest"),
    path("proposals/<int:pk>/interest/", views.proposal_interest, name="proposal-interest"),
    path("me/alerts/", views.funder_alerts, name="funder-alerts"),
    path("feeds/writeups/", feeds.WriteupsFeed(), name="feed-writeups"),
    path("feeds/writeups/topic/<slug:topic>/", feeds.WriteupsFeed(), name="feed-topic-writeups"),
    path("feeds/writeups/cluster/<slug:cluster>/", feeds.WriteupsFeed(),
         name="feed-cluster-writeups"),
    path("feeds/gaps/", feeds.GapsFeed(), name="feed-gaps"),
    path("feeds/recognitions/", feeds.RecognitionsFeed(), name="feed-recognitions"),
    path("feeds/proposals/stages/", feeds.ProposalStagesFeed(), name="feed-proposal-stages"),
    re_path(r"^export/(?P<name>topics|writeups|proposals|recognitions|endorsements|comments)"
            r"\.(?P<fmt>csv|json)$", exports.export, name="export"),
]

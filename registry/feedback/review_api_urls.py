"""Routes: filled in by the feedback work (issue 15)."""

urlpatterns = []

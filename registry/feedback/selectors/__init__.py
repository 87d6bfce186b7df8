"""The feedback app's reads: comment threads (comments.py) and review requests (reviews.py)."""

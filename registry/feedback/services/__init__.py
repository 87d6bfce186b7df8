"""The feedback app's writes: comments (comments.py) and review requests (reviews.py)."""

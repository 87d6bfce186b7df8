"""Who may do what in discussions (comments.py) and reviews (reviews.py): plain predicates used by
pages, API and admin alike."""

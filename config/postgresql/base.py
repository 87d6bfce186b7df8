"""Django's PostgreSQL backend, batching bulk writes to what one statement may carry.

With server-side binding (settings: DATABASE_PREPARE) every value is a parameter of the
statement, and PostgreSQL's protocol counts them in 16 bits: a bulk_create of 10,000 rows of
eight fields fails ("number of parameters must be between 0 and 65535") where client-side
binding inlined the values. Long `__in` lists are the other half of that limit
(registry.core.lookups).
"""

from django.db.backends.postgresql import base, operations

# The most parameters one statement may carry (PostgreSQL's Bind message: an Int16 count).
MAX_PARAMETERS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        if self.connection.features.uses_server_side_binding and fields:
            return max(1, min(len(objs), MAX_PARAMETERS // len(fields)))
        return super().bulk_batch_size(fields, objs)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

"""`__in` with a long list of values, as PostgreSQL can take it under server-side binding.

Each value of `pk__in=[...]` is one parameter of the statement, and PostgreSQL's protocol
counts parameters in 16 bits (config.postgresql). Past LONG_LIST values the list goes as one
array parameter, `= ANY(%s)`: any length, and one statement text whatever the length, so one
prepared statement serves them all. Shorter lists keep `IN (...)`, planned as Django always has.
Registered for every field in RegistryConfig.ready; other databases are unaffected.
"""

from django.db.models import Field, lookups
from django.db.models.expressions import ColPairs
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.utils.datastructures import OrderedSet

LONG_LIST = 1_000


class _ArrayWhenLong:
    def as_postgresql(self, compiler, connection):
        if (connection.features.uses_server_side_binding and self.rhs_is_direct_value()
                and not isinstance(self.lhs, ColPairs) and len(self.rhs) > LONG_LIST):
            try:
                values = OrderedSet(self.rhs)
            except TypeError:  # unhashable values: as Django sends them
                return self.as_sql(compiler, connection)
            values.discard(None)  # NULL equals nothing, as in IN (...)
            sqls, params = self.batch_process_rhs(compiler, connection, values)
            if all(sql == "%s" for sql in sqls):  # plain values, no expressions among them
                lhs, lhs_params = self.process_lhs(compiler, connection)
                return f"{lhs} = ANY(%s)", (*lhs_params, list(params))
        return self.as_sql(compiler, connection)


class ArrayWhenLongIn(_ArrayWhenLong, lookups.In):
    pass


class ArrayWhenLongRelatedIn(_ArrayWhenLong, RelatedIn):
    pass


def register():
    Field.register_lookup(ArrayWhenLongIn)
    ForeignObject.register_lookup(ArrayWhenLongRelatedIn)

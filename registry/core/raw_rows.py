"""Model instances read from hand-written SQL, for the few reads made on every request (the
signed-in person, an API token), where Django took longer to build the query than PostgreSQL
took to answer it.

Each column goes through its field's converters, as the ORM's own reads do (SQLite returns
dates as text and booleans as numbers), and each instance is made by Model.from_db, so it is
what the ORM would have returned.
"""

from functools import cached_property

from django.db import connection
from django.db.models import Model
from django.db.models.sql import Query


class RawRows:
    """Reads rows whose leading columns are `columns()`: every concrete field of each model,
    in order, from the table alias given with it."""

    def __init__(self, *aliased_models: tuple[str, type[Model]]):
        self.aliased_models = aliased_models

    def fetch_one(self, *, also: list[str], rest: str, params: list):
        """The one row of `SELECT <columns()>, <also…> <rest>` as (instances, the values of
        `also`), or None when there is none. `params` fill `also` and then `rest`."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join([self.columns(), *also])} {rest}", params)
            row = cursor.fetchone()
        if row is None:
            return None
        split = len(row) - len(also)
        return self.instances(row[:split]), list(row[split:])

    def columns(self) -> str:
        return ", ".join(f'{alias}."{field.column}"' for alias, model in self.aliased_models
                         for field in model._meta.concrete_fields)

    @cached_property
    def _converters(self):
        """The SQL compiler and the converters of the columns, worked out once."""
        compiler = Query(self.aliased_models[0][1]).get_compiler(connection.alias)
        columns = [field.get_col(model._meta.db_table) for _, model in self.aliased_models
                   for field in model._meta.concrete_fields]
        return compiler, compiler.get_converters(columns)

    def instances(self, row) -> list[Model | None]:
        """One instance per model from the leading columns of `row` (the columns after them
        are left for the caller); None for a model whose primary key is NULL (an outer join
        that found no row)."""
        compiler, converters = self._converters
        row = next(compiler.apply_converters([row], converters))
        instances, start = [], 0
        for _, model in self.aliased_models:
            fields = model._meta.concrete_fields
            values = row[start:start + len(fields)]
            start += len(fields)
            primary_key = values[fields.index(model._meta.pk)]
            instances.append(None if primary_key is None else model.from_db(
                connection.alias, [field.attname for field in fields], values))
        return instances

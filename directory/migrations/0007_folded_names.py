from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

from directory.search.reindex import reindex_names


class Migration(migrations.Migration):
    dependencies = [('directory', '0006_delivery_horizon')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Agency',
            name='search_name',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Practitioner',
            name='search_name',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.RunPython(reindex_names, ops.RunPython.noop),
    ]

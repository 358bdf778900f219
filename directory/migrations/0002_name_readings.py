from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

from directory.search.readings import agency_readings, person_readings

_BATCH = 500  # rows per UPDATE


async def fill_readings(apps, schema_editor):
    """Existing agencies and practitioners get the readings that new writes compute."""
    client = schema_editor.client
    agency = apps.get_model("directory", "Agency")
    rows = await agency.all().using_db(client).only("id", "name", "name_en")
    for row in rows:
        found = agency_readings(row.name, row.name_en)
        row.search_pinyin, row.search_initials = found.pinyin, found.initials
    if rows:
        await agency.bulk_update(
            rows, ["search_pinyin", "search_initials"], batch_size=_BATCH, using_db=client
        )
    practitioner = apps.get_model("directory", "Practitioner")
    people = await practitioner.all().using_db(client).only("id", "name")
    for person in people:
        found = person_readings(person.name)
        person.search_pinyin, person.search_initials = found.pinyin, found.initials
    if people:
        await practitioner.bulk_update(
            people, ["search_pinyin", "search_initials"], batch_size=_BATCH, using_db=client
        )

class Migration(migrations.Migration):
    dependencies = [('directory', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Agency',
            name='search_initials',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Agency',
            name='search_pinyin',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Practitioner',
            name='search_initials',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.AddField(
            model_name='Practitioner',
            name='search_pinyin',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
        ops.RunPython(fill_readings, ops.RunPython.noop),
    ]

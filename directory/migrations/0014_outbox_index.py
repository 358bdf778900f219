from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('directory', '0013_engagements')]

    initial = False

    # The delivery's claim reads next_attempt_at through (status, next_attempt_at); an index of
    # its own was one more to write for every row a scan inserts, read by no query.
    operations = [
        ops.AlterField(
            model_name='Reminder',
            name='next_attempt_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]

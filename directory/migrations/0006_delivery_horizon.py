from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('directory', '0005_web_sessions')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Reminder',
            name='waiting_since',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('directory', '0002_name_readings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AgencyAnnualReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('agency', fields.ForeignKeyField('directory.Agency', source_field='agency_id', db_constraint=True, to_field='id', related_name='annual_reports', on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('filed_on', fields.DateField()),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'agency_annual_report', 'app': 'directory', 'unique_together': (('agency', 'year'),), 'pk_attr': 'id', 'table_description': "A patent agency's annual report for a year, as the bureau recorded it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AgencyNotification',
            fields=[
                ('agency', fields.OneToOneField('directory.Agency', source_field='agency_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='notification', on_delete=OnDelete.CASCADE)),
                ('email', fields.CharField(default='', max_length=254)),
                ('webhook_url', fields.CharField(default='', max_length=200)),
                ('webhook_secret', fields.CharField(default='', max_length=64)),
                ('version', fields.IntField(default=1)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'agency_notification', 'app': 'directory', 'pk_attr': 'agency_id', 'table_description': 'Where an agency wants its reminders: an e-mail address and an optional signed webhook.'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='Reminder',
            options={'table': 'reminder', 'app': 'directory', 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'One message owed on one channel, unique by its de-duplication key.'},
        ),
        ops.AddField(
            model_name='Reminder',
            name='lease_owner',
            field=fields.CharField(default='', db_default='', max_length=36),
        ),
        ops.AddIndex(
            model_name='Reminder',
            index=Index(fields=['status', 'next_attempt_at']),
        ),
        ops.AlterModelOptions(
            name='Target',
            options={'table': 'target', 'app': 'directory', 'pk_attr': 'id', 'table_description': 'A goal of the plan: a metric over a region that should reach a threshold by a deadline.'},
        ),
        ops.AddField(
            model_name='Target',
            name='version',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AlterModelOptions(
            name='TargetSnapshot',
            options={'table': 'target_snapshot', 'app': 'directory', 'unique_together': (('target', 'taken_on'),), 'pk_attr': 'id', 'table_description': "A target's figure on one calendar day (Asia/Shanghai), refreshed by each check that day."},
        ),
        ops.AddField(
            model_name='TargetSnapshot',
            name='on_track',
            field=fields.BooleanField(null=True),
        ),
        ops.AddField(
            model_name='TargetSnapshot',
            name='projected',
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name='TargetSnapshot',
            name='taken_on',
            field=fields.DateField(null=True),
        ),
        ops.AddConstraint(
            model_name='TargetSnapshot',
            constraint=UniqueConstraint(fields=('target', 'taken_on'), name=None),
        ),
    ]

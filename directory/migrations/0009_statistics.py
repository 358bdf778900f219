from tortoise import migrations
from tortoise.migrations import operations as ops
from directory.targets.models import Metric
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('directory', '0008_agency_licences_credit')]

    initial = False

    operations = [
        # firms' review satisfaction keeps a name of its own, apart from the plan's 权利人满意度
        ops.RunSQL(
            "UPDATE target SET metric = 'review_satisfaction_ratio' "
            "WHERE metric = 'satisfaction_ratio'",
            reverse_sql="UPDATE target SET metric = 'satisfaction_ratio' "
            "WHERE metric = 'review_satisfaction_ratio'",
        ),
        ops.CreateModel(
            name='Statistic',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=40)),
                ('region', fields.ForeignKeyField('directory.Region', source_field='region_id', db_constraint=True, to_field='code', related_name='statistics', on_delete=OnDelete.RESTRICT)),
                ('as_of', fields.DateField()),
                ('value', fields.FloatField()),
                ('source', fields.CharField(default='', max_length=200)),
                ('note', fields.CharField(default='', max_length=500)),
                ('version', fields.IntField(default=1, db_default=1)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'statistic', 'app': 'directory', 'unique_together': (('key', 'region', 'as_of'),), 'pk_attr': 'id', 'table_description': 'A figure the directory cannot count (trademarks, copyrights, filings, surveys), as the'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Target',
            name='metric',
            field=fields.CharEnumField(description='AGENCY_COUNT: agency_count\nPRACTITIONER_COUNT: practitioner_count\nQUALIFIED_PRACTITIONER_COUNT: qualified_practitioner_count\nREVIEW_SATISFACTION_RATIO: review_satisfaction_ratio\nSTATISTIC_VALUE: statistic_value\nSTATISTIC_GROWTH: statistic_growth', enum_type=Metric, max_length=40),
        ),
    ]

from tortoise import migrations
from tortoise.migrations import operations as ops
from directory.talent.models import AssessmentResult
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('directory', '0009_statistics')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LicenceAssessment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('qualification', fields.ForeignKeyField('directory.Qualification', source_field='qualification_id', db_constraint=True, to_field='id', related_name='assessments', on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('result', fields.CharEnumField(description='COMPETENT: competent\nBASICALLY_COMPETENT: basically_competent\nINCOMPETENT: incompetent', enum_type=AssessmentResult, max_length=24)),
                ('assessed_on', fields.DateField()),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'licence_assessment', 'app': 'directory', 'unique_together': (('qualification', 'year'),), 'pk_attr': 'id', 'table_description': "One year's assessment of a licence whose validity follows it (the lawyer licence)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Practitioner',
            name='internship_ended_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Practitioner',
            name='internship_started_on',
            field=fields.DateField(null=True),
        ),
    ]

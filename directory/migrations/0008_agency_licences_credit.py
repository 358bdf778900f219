from tortoise import migrations
from tortoise.migrations import operations as ops
from directory.agencies.models import CreditGrade
from directory.verification import Verification
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('directory', '0007_folded_names')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Agency',
            name='abnormal_reason',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
        ops.AddField(
            model_name='Agency',
            name='abnormal_removed_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Agency',
            name='abnormal_since',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Agency',
            name='credit_grade',
            field=fields.CharEnumField(null=True, description='A_PLUS: A+\nA: A\nB: B\nC: C\nD: D', enum_type=CreditGrade, max_length=2),
        ),
        ops.AddField(
            model_name='Agency',
            name='credit_graded_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Agency',
            name='credit_score',
            field=fields.DecimalField(null=True, max_digits=4, decimal_places=1),
        ),
        ops.AlterModelOptions(
            name='AgencyLicence',
            options={'table': 'agency_licence', 'app': 'directory', 'unique_together': (('kind', 'number'),), 'indexes': [Index(fields=['agency_id', 'kind_id'])], 'pk_attr': 'id', 'table_description': 'A licence or filing of the agency itself, checked by the bureau like a qualification.'},
        ),
        ops.AddField(
            model_name='AgencyLicence',
            name='end_reason',
            field=fields.CharField(default='', db_default='', max_length=200),
        ),
        ops.AddField(
            model_name='AgencyLicence',
            name='ended_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='AgencyLicence',
            name='verification',
            field=fields.CharEnumField(default=Verification.PENDING, description='PENDING: pending\nVERIFIED: verified\nREJECTED: rejected', db_default='pending', enum_type=Verification, max_length=16),
        ),
        ops.AddField(
            model_name='AgencyLicence',
            name='verified_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='AgencyLicence',
            name='verified_by',
            field=fields.ForeignKeyField('directory.ApiToken', source_field='verified_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='AgencyLicence',
            name='version',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddIndex(
            model_name='AgencyLicence',
            index=Index(fields=['agency_id', 'kind_id']),
        ),
            # Until now only the demo loader wrote licences, and they all counted: keep them counting.
        ops.RunSQL(
            "UPDATE agency_licence SET verification = 'verified', verified_at = created_at",
            reverse_sql="SELECT 1",
        ),
    ]

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from directory.engagements.models import DeclineReason, RequestState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('directory', '0012_match_facts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Inquiry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('firm_name', fields.CharField(max_length=120)),
                ('firm_credit_code', fields.CharField(db_index=True, max_length=18)),
                ('contact_email', fields.CharField(max_length=254)),
                ('contact_phone', fields.CharField(default='', max_length=32)),
                ('message', fields.TextField(default='', unique=False)),
                ('need', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('match_answer', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('access_hash', fields.CharField(unique=True, max_length=64)),
                ('confirm_hash', fields.CharField(null=True, unique=True, max_length=64)),
                ('confirm_expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'engagement_inquiry', 'app': 'directory', 'pk_attr': 'id', 'table_description': 'One submission of a firm: its need, the match answer it chose from, and how to reach it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EngagementRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inquiry', fields.ForeignKeyField('directory.Inquiry', source_field='inquiry_id', db_constraint=True, to_field='id', related_name='requests', on_delete=OnDelete.CASCADE)),
                ('agency', fields.ForeignKeyField('directory.Agency', source_field='agency_id', db_constraint=True, to_field='id', related_name='engagement_requests', on_delete=OnDelete.CASCADE)),
                ('rank', fields.SmallIntField()),
                ('state', fields.CharEnumField(default=RequestState.UNCONFIRMED, description='UNCONFIRMED: unconfirmed\nOPEN: open\nACCEPTED: accepted\nDECLINED: declined\nLAPSED: lapsed\nSTARTED: started\nDONE: done\nWITHDRAWN: withdrawn', enum_type=RequestState, max_length=16)),
                ('released_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answer_note', fields.TextField(default='', unique=False)),
                ('decline_reason', fields.CharEnumField(null=True, description='NO_CAPACITY: no_capacity\nOUT_OF_SCOPE: out_of_scope\nCONFLICT_OF_INTEREST: conflict_of_interest\nINSUFFICIENT_INFORMATION: insufficient_information\nOTHER: other', enum_type=DeclineReason, max_length=32)),
                ('lapsed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('done_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('withdrawn_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'engagement_request', 'app': 'directory', 'unique_together': (('inquiry', 'agency'),), 'indexes': [Index(fields=['agency_id', 'state']), Index(fields=['state', 'released_at'])], 'pk_attr': 'id', 'table_description': 'One agency asked by one inquiry, and everything that followed between them.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnmetNeed',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=64)),
                ('day', fields.DateField(db_index=True)),
                ('services', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('region', fields.CharField(max_length=6)),
                ('field', fields.CharField(default='', max_length=16)),
                ('language', fields.CharField(default='', max_length=8)),
                ('empty', fields.BooleanField()),
                ('missing_services', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('searches', fields.IntField(default=1)),
            ],
            options={'table': 'unmet_need', 'app': 'directory', 'pk_attr': 'id', 'table_description': "A 找代理 search that no agency could fully serve: the gap the bureau's growth plan fills."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Review',
            name='engagement',
            field=fields.OneToOneField('directory.EngagementRequest', source_field='engagement_id', null=True, db_constraint=True, to_field='id', related_name='review', on_delete=OnDelete.SET_NULL),
        ),
    ]

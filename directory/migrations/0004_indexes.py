from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('directory', '0003_reminder_outbox')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='AgencyFieldLink',
            index=Index(fields=['field_id']),
        ),
        ops.AddIndex(
            model_name='AgencyKindLink',
            index=Index(fields=['kind_id']),
        ),
        ops.AlterModelOptions(
            name='AgencyNotification',
            options={'table': 'agency_notification', 'app': 'directory', 'pk_attr': 'agency_id', 'table_description': 'Where an agency wants its reminders: an e-mail address and an optional signed webhook.'},
        ),
        ops.AddIndex(
            model_name='AgencyRegionServed',
            index=Index(fields=['region_id']),
        ),
        ops.AddIndex(
            model_name='AgencyServiceLink',
            index=Index(fields=['service_id']),
        ),
        ops.AddIndex(
            model_name='Practitioner',
            index=Index(fields=['agency_id', 'name', 'id']),
        ),
        ops.AddIndex(
            model_name='PractitionerFieldLink',
            index=Index(fields=['field_id']),
        ),
        ops.AddIndex(
            model_name='Qualification',
            index=Index(fields=['practitioner_id', 'kind_id']),
        ),
        ops.AddIndex(
            model_name='Qualification',
            index=Index(fields=['kind_id', 'expires_on']),
        ),
        ops.AddIndex(
            model_name='TrainingRecord',
            index=Index(fields=['practitioner_id', 'completed_on']),
        ),
    ]

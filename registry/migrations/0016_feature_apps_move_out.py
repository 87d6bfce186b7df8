"""Notifications, discovery and moderation become apps of their own (labels notifications,
discovery, moderation). Their tables stay where they are, under their registry_… names: this
migration only takes the models out of the registry's state (each new app's 0001_initial puts
them into its own), and moves their content types, so permissions and admin history follow
them. No row is copied or lost."""


from django.db import migrations

MOVED = {
    "notifications": ["follow", "notification", "notificationsettings", "claimreminder"],
    "discovery": ["funderinterest", "funderalert", "searchentry"],
    "moderation": ["report", "moderationaction"],
}


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for label, models in MOVED.items():
        content_type.objects.filter(app_label="registry", model__in=models).update(
            app_label=label)


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for label, models in MOVED.items():
        content_type.objects.filter(app_label=label, model__in=models).update(
            app_label="registry")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0015_topic_event_edited'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='follow',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='follow',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='follow',
                    name='topic',
                ),
                migrations.RemoveField(
                    model_name='funderalert',
                    name='cluster',
                ),
                migrations.RemoveField(
                    model_name='funderalert',
                    name='funder',
                ),
                migrations.RemoveField(
                    model_name='funderinterest',
                    name='funder',
                ),
                migrations.RemoveField(
                    model_name='funderinterest',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='funderinterest',
                    name='topic',
                ),
                migrations.RemoveField(
                    model_name='moderationaction',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='moderationaction',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='topic',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='writeup',
                ),
                migrations.RemoveField(
                    model_name='notificationsettings',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='reporter',
                ),
                migrations.RemoveField(
                    model_name='searchentry',
                    name='cluster',
                ),
                migrations.DeleteModel(
                    name='ClaimReminder',
                ),
                migrations.DeleteModel(
                    name='Follow',
                ),
                migrations.DeleteModel(
                    name='FunderAlert',
                ),
                migrations.DeleteModel(
                    name='FunderInterest',
                ),
                migrations.DeleteModel(
                    name='ModerationAction',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='NotificationSettings',
                ),
                migrations.DeleteModel(
                    name='Report',
                ),
                migrations.DeleteModel(
                    name='SearchEntry',
                ),
    
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
